import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp } from './helpers';

/**
 * The search panel on the Train page, in the real worker: a random search of quickstart-nb
 * whose kept runs open in the Compare page, and a long search cancelled midway that leaves no
 * runs behind and frees the lab.
 */
describe('hyper-parameter search from the page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(1500, 200));
  });
  afterAll(async () => browser?.close());

  it('runs three trials with progress, and opens the kept runs in Compare', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Preset').selectOption('quickstart-nb');
    const panel = page.getByTestId('search-panel');
    await panel.locator('summary').click();
    // The family's suggested space is there to start from.
    expect(JSON.parse(await panel.getByTestId('search-space').inputValue())).toHaveProperty(['model.alpha']);
    await panel.getByTestId('search-sampler').selectOption('random');
    await panel.getByTestId('search-keep').selectOption('all');
    await panel.getByTestId('search-trials-budget').fill('3');
    await panel.getByTestId('search-start').click();
    await expect.poll(() => panel.getByTestId('search-status').textContent(), { timeout: 120_000 }).toMatch(/[1-2] of 3 trials done · best so far \d+\.\d\d%/);
    await panel.getByTestId('search-outcome').waitFor({ timeout: 240_000 });
    const rows = panel.getByTestId('search-trial');
    expect(await rows.count()).toBe(3);
    expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-state')))).toEqual(['complete', 'complete', 'complete']);
    expect(await panel.locator('tr.better').count()).toBe(1);
    await panel.getByTestId('search-compare').click();
    await page.getByTestId('compare-page').waitFor();
    await expect.poll(() => page.getByTestId('compare-table').getByTestId('compare-row').count(), { timeout: 60_000 }).toBe(3);
    expect(errors).toEqual([]);
  }, 360_000);

  it('cancels a search midway: its runs are removed and training can start', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(3);
    await page.getByRole('tab', { name: 'Train' }).click();
    const panel = page.getByTestId('search-panel');
    // The page was left: the panel starts closed again.
    await panel.locator('summary').click();
    await panel.getByTestId('search-trials-budget').fill('200');
    await panel.getByTestId('search-start').click();
    await expect.poll(() => panel.getByTestId('search-status').textContent(), { timeout: 120_000 }).toMatch(/[1-9]\d* of 200 trials done/);
    await panel.getByTestId('search-cancel').click();
    await panel.getByTestId('search-cancelled').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('start-train').isEnabled()).toBe(true);
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(3);
    expect(errors).toEqual([]);
  }, 360_000);
});
