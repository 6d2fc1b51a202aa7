import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, waitForResult } from './helpers';

/** Starts a preset on `auto` and returns its result card; a failure shows its error text in the test. */
async function train(page: Page, preset: string, model: string) {
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Preset').selectOption(preset);
  await page.getByLabel('Backend').selectOption('auto');
  await page.getByTestId('start-train').click();
  return waitForResult(page, model, `training ${preset}`, 240_000);
}

// Without a GPU, Chromium's WebGPU adapter is SwiftShader, which auto ranks below WASM.
describe('Train, reload, runs and predict (auto backend: WASM over SwiftShader)', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(600, 100));
  });
  afterAll(async () => browser?.close());

  it('the worker picks WASM and the badge says why WebGPU was skipped', async () => {
    const badge = page.getByTestId('backend-badge');
    await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 60_000 }).toBe('wasm');
    expect(await badge.locator('.badge-main').textContent()).toBe('Backend: WASM');
    expect(await page.getByTestId('backend-skipped').textContent()).toBe('WebGPU skipped: software adapter (SwiftShader) is slower than WASM on this machine');
    expect(await badge.getAttribute('title')).toBe('WASM · WebGPU skipped: software adapter (SwiftShader) is slower than WASM on this machine');
  });

  it('trains the Naive Bayes quickstart', async () => {
    await train(page, 'quickstart-nb', 'tfidf-nb');
    const result = page.getByTestId('train-result');
    const acc = Number((await result.getByTestId('result-accuracy').textContent())!.replace(/[^0-9.]/g, ''));
    expect(acc).toBeGreaterThan(50); // percent, on 60 validation examples of a 540-row slice
  });

  it('trains the fastText quickstart on WASM with live curves', async () => {
    const done = await train(page, 'quickstart-fasttext', 'fasttext');
    expect(await done.textContent()).toMatch(/wasm/);
    expect(await done.textContent()).not.toMatch(/webgpu/);
    // recharts draws each series as an svg path; step and epoch points make the curves.
    expect(await page.getByTestId('chart-loss').locator('path.recharts-curve').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('chart-accuracy').locator('path.recharts-curve').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('finds both runs after a reload and predicts with one', async () => {
    await page.reload();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(2);
    const statuses = await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses).toEqual(['done', 'done']);

    await page.getByRole('tab', { name: 'Predict' }).click();
    await page.getByTestId('predict-input').fill('Olympic swimmer wins gold medal in Athens final');
    await page.getByTestId('predict-button').click();
    const classes = page.getByTestId('predict-result').getByTestId('predict-class');
    await expect
      .poll(async () => ((await page.getByTestId('predict-error').count()) ? await page.getByTestId('predict-error').textContent() : classes.count()), { timeout: 60_000 })
      .toBe(4);
    expect(await classes.first().textContent()).toMatch(/%/);
  });
});
