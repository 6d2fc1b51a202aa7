import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, waitForResult } from './helpers';

/** Starts a preset and waits for its result; a failure shows its error text in the test. */
async function train(page: Page, preset: string, model: string): Promise<void> {
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Preset').selectOption(preset);
  await page.getByTestId('start-train').click();
  await waitForResult(page, model, `training ${preset}`, 240_000);
}

describe('Compare two classical runs', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(1500, 400));
    await train(page, 'quickstart-nb', 'tfidf-nb');
    await train(page, 'tfidf-sgd', 'tfidf-sgd');
  });
  afterAll(async () => browser?.close());

  it('goes from the Runs page to the Compare page with the ticked runs', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(2);
    await page.getByRole('checkbox', { name: /Compare run quickstart-nb/ }).check();
    const go = page.getByTestId('compare-selected');
    await expect.poll(() => go.textContent()).toBe('Compare selected (1)');
    await go.click();
    await page.getByTestId('compare-page').waitFor();
    // The picker shares the selection: tick the second run there.
    const picks = page.getByTestId('compare-pick');
    expect(await picks.count()).toBe(2);
    await picks.filter({ hasText: 'tfidf-sgd' }).getByRole('checkbox').check();
    expect(await picks.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).checked))).toEqual([true, true]);
  });

  it('shows both runs with intervals and a tested pair', async () => {
    const rows = page.getByTestId('compare-table').getByTestId('compare-row');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    const table = (await page.getByTestId('compare-table').textContent())!;
    expect(table).toContain('A · quickstart-nb');
    expect(table).toContain('B · tfidf-sgd');
    expect(table).toMatch(/\d+\.\d\d%\[\d+\.\d, \d+\.\d\]/);

    const pair = page.getByTestId('compare-pairs').getByTestId('compare-pair');
    expect(await pair.count()).toBe(1);
    const cells = await pair.locator('td').allTextContents();
    // n: both runs were scored on the same validation split (10% of the 1500 training rows).
    expect(Number(cells[0])).toBeGreaterThan(100);
    expect(cells[1]).toMatch(/^\d+$/);
    expect(cells[2]).toMatch(/^\d+$/);
    expect(cells[3]).toMatch(/^(< 0\.001|[01]\.\d{3})$/);
    expect(cells[5]).toMatch(/pp \[.+\] pp$/);
    expect(await pair.getByTestId('compare-sig').textContent()).toMatch(/★ significant|n\.s\./);
  });

  it('draws the per-class, confusion, calibration and cost figures', async () => {
    await expect.poll(() => page.getByTestId('compare-f1-bars').locator('.recharts-bar-rectangle').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('compare-confusion').getByTestId('compare-confusion-run').count()).toBe(2);
    expect(await page.getByTestId('compare-confusion').locator('tbody tr').count()).toBe(8); // 4 classes × 2 runs
    const reliability = page.getByTestId('compare-reliability').getByTestId('compare-reliability-run');
    expect(await reliability.count()).toBe(2);
    expect(await reliability.first().locator('figcaption').textContent()).toMatch(/ECE \d\.\d{3}/);
    await expect.poll(() => reliability.first().locator('.recharts-scatter-symbol').count()).toBeGreaterThan(0);
    const scatter = page.getByTestId('compare-scatter');
    await expect.poll(() => scatter.locator('.recharts-scatter-symbol').count()).toBe(2);
    await scatter.getByLabel('Cost').selectOption('parameters');
    await expect.poll(() => scatter.locator('.recharts-scatter-symbol').count()).toBe(2);
    expect(await page.getByTestId('compare-seeds').textContent()).toMatch(/more than one seed/);
    expect(errors).toEqual([]);
  });

  it('downloads results.csv with one row per run', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-results-csv').click()]);
    expect(download.suggestedFilename()).toBe('results.csv');
    const lines = readFileSync((await download.path())!, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim());
    expect(lines[0].split(',')).toContain('val_accuracy');
    expect(lines).toHaveLength(3);

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-results-json').click()]);
    expect(json.suggestedFilename()).toBe('results.json');
    const parsed = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { runs: { configName: string }[] };
    expect(parsed.runs.map((r) => r.configName).sort()).toEqual(['quickstart-nb', 'tfidf-sgd']);
  });
});
