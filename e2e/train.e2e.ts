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

describe('Train, reload, runs and predict (WebGPU on SwiftShader)', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(600, 100));
  });
  afterAll(async () => browser?.close());

  it('the worker runs TF.js on WebGPU', async () => {
    await expect.poll(() => page.getByTestId('backend-badge').textContent(), { timeout: 60_000 }).toMatch(/webgpu/i);
  });

  it('trains the Naive Bayes quickstart', async () => {
    await train(page, 'quickstart-nb', 'tfidf-nb');
    const result = page.getByTestId('train-result');
    const acc = Number((await result.getByTestId('result-accuracy').textContent())!.replace(/[^0-9.]/g, ''));
    expect(acc).toBeGreaterThan(50); // percent, on 60 validation examples of a 540-row slice
  });

  it('trains the fastText quickstart with live curves', async () => {
    await train(page, 'quickstart-fasttext', 'fasttext');
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
    await expect.poll(async () => (await page.getByTestId('predict-error').count()) ? await page.getByTestId('predict-error').textContent() : classes.count(), { timeout: 60_000 }).toBe(4);
    expect(await classes.first().textContent()).toMatch(/%/);
  });
});
