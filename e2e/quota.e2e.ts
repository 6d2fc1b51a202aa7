import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../src/platform/node/chromium';
import { agNewsSlice, idbKeys, importAgNews, waitForResult } from './helpers';

// Screenshots of the dashboard for the note (outside the repo).
const SHOTS = '/tmp/shots';
// The origin's lowered quota: room for a small dataset and a classical run, not for a larger dataset.
const QUOTA = 2.5 * 2 ** 20;

/** An AG News folder whose train texts are long (each description repeated): a few MB in few rows, quick to import. */
function longTextSlice(rows: number, repeat: number): string[] {
  const files = agNewsSlice(rows, 50);
  const train = readFileSync(files[0], 'utf8')
    .split('\n')
    .map((line) => line.replace(/"([^"]*)"$/, (_, d: string) => `"${Array(repeat).fill(d).join(' ')}"`))
    .join('\n');
  writeFileSync(files[0], train);
  return files;
}

// A fastText run small enough for SwiftShader that still logs every step for the live curves.
const CONFIG = {
  name: 'quota-e2e',
  model: { type: 'fasttext', dim: 8, buckets: 512, train: { epochs: 3, batchSize: 16, logEvery: 1 } },
  guard: { override: { reason: 'e2e smoke test on a tiny slice' } },
};

async function fresh(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(inject('appUrl') + '/');
  await page.getByRole('tab', { name: 'Data' }).waitFor();
  return { context, page, errors };
}

describe('quota dashboard', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  it('shows the device, the live memory curve and the budget while a run trains', async () => {
    const { context, page, errors } = await fresh(browser);
    await importAgNews(page, agNewsSlice(300, 40));
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Preset').selectOption('fasttext');
    await page.getByLabel('Config (JSON)').fill(JSON.stringify(CONFIG, null, 2));
    // WebGPU explicitly (auto takes WASM over SwiftShader): the memory is then the GPU buffers' bytes.
    await page.getByLabel('Backend').selectOption('webgpu');
    await page.getByTestId('start-train').click();

    await page.getByRole('tab', { name: 'Quota' }).click();
    const card = page.getByTestId('device-card');
    await card.getByTestId('device-adapter').waitFor();
    expect(await card.getByTestId('device-software').textContent()).toMatch(/software \(SwiftShader\), not a GPU/);
    await card.getByText('Limits and features').click();
    expect(await card.getByTestId('device-limits').textContent()).toMatch(/maxStorageBufferBindingSize\s*\d/);
    // Once the run has chosen its backend, the card names it.
    await expect.poll(() => card.getByTestId('device-backend').textContent(), { timeout: 30_000 }).toMatch(/Runs use: webgpu/);

    // The curve is drawn while the run trains (a flat line has no height: attached, not visible).
    const chart = page.getByTestId('quota-memory-chart');
    await chart.locator('path.recharts-curve').first().waitFor({ state: 'attached', timeout: 60_000 });
    expect(await page.getByTestId('quota-memory-peak').textContent()).toMatch(/Peak so far \d/);
    // On WebGPU the backend's allocated GPU buffers are drawn beside the tensors' bytes.
    expect(await chart.textContent()).toContain('GPU buffers allocated');
    // The budget panel counts the live run's time up as it trains.
    const liveSeconds = async () => {
      const m = ((await page.getByTestId('budget-live').count()) ? await page.getByTestId('budget-live').textContent() : '')?.match(/trained (?:(\d+) min )?([\d.]+) s/);
      return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : -1;
    };
    await expect.poll(liveSeconds, { timeout: 30_000 }).toBeGreaterThanOrEqual(0);
    const first = await liveSeconds();
    await expect.poll(liveSeconds, { timeout: 30_000 }).toBeGreaterThan(first);
    // The run and the dataset are listed in storage while it trains; the run cannot be deleted then.
    const items = page.getByTestId('quota-item');
    await expect.poll(() => items.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual(expect.arrayContaining(['dataset', 'run']));
    await page.screenshot({ path: `${SHOTS}/quota-during-run.png`, fullPage: true });

    await page.getByRole('tab', { name: 'Train' }).click();
    await waitForResult(page, 'fasttext', 'quota-e2e', 120_000);
    await page.getByRole('tab', { name: 'Quota' }).click();
    await chart.locator('path.recharts-curve').first().waitFor({ state: 'attached' });
    // The run's time is booked: today's use is no longer zero, and a budget set here holds.
    await expect.poll(async () => (await page.getByTestId('budget-today').textContent()) ?? '').not.toMatch(/^Today0\.0 s/);
    await page.getByLabel('Per day (UTC) budget (minutes)').fill('30');
    await page.getByTestId('budget-save').click();
    await expect.poll(async () => (await page.getByTestId('budget-left').textContent()) ?? '').toMatch(/left for a run starting now/);
    await page.screenshot({ path: `${SHOTS}/quota-after-run.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('refuses a write the lowered quota cannot hold, and loses nothing', async () => {
    // Chromium's quota for this origin, lowered through the DevTools protocol. Chromium reads an
    // origin's quota when its storage is first opened, so the override comes before the page loads.
    // Writes are held to it; navigator.storage.estimate() still reports a padded quota.
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(inject('appUrl')).origin, quotaSize: QUOTA });
    await page.goto(inject('appUrl') + '/');

    // A small dataset and a classical run fit (about 0.6 MB together).
    await importAgNews(page, agNewsSlice(400, 30));
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('combobox', { name: 'Preset' }).selectOption('quickstart-nb');
    await page.getByTestId('start-train').click();
    await waitForResult(page, 'tfidf-nb', 'quickstart-nb', 60_000);
    const keysBefore = (await idbKeys(page)).sort();

    // A dataset of about 4 MB does not: refused, with the reason, and nothing of it kept.
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('Dataset files').setInputFiles(longTextSlice(3000, 6));
    const refusal = page.getByTestId('import-error');
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toMatch(/storage is full|not enough storage/i);
    expect(await page.getByTestId('dataset-row').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/quota-refused.png`, fullPage: true });

    // After a reload the dataset and the run are there, every record as it was.
    await page.reload();
    await page.getByTestId('dataset-row').first().waitFor();
    expect(await page.getByTestId('dataset-row').count()).toBe(1);
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(['done']);
    expect((await idbKeys(page)).sort()).toEqual(keysBefore);
    await page.getByRole('tab', { name: 'Quota' }).click();
    await page.getByTestId('device-storage').waitFor();
    await page.screenshot({ path: `${SHOTS}/quota-full.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
