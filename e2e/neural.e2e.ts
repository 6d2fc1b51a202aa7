import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, waitForResult } from './helpers';

/**
 * The neural presets, unedited, train in the page's worker on WebGPU (SwiftShader here) on a
 * small slice. SwiftShader is slow, so the slice is tiny: this checks the path, not accuracy.
 */
describe('neural presets train from the page on WebGPU', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(40, 10));
  });
  afterAll(async () => browser?.close());

  for (const [preset, model] of [
    ['fasttext', 'fasttext'],
    ['textcnn', 'textcnn'],
    ['transformer-small', 'transformer'],
    ['bigru', 'bigru'],
  ]) {
    it(`${preset}`, async () => {
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByLabel('Preset').selectOption(preset);
      // The slice is far too small for these models: the pre-training checks refuse it unless
      // the config states an override, which is what a user would do for a smoke test.
      const config = JSON.parse(await page.getByLabel('Config (JSON)').inputValue());
      await page.getByLabel('Config (JSON)').fill(JSON.stringify({ ...config, guard: { override: { reason: 'e2e smoke test on a tiny slice' } } }, null, 2));
      await page.getByLabel('Backend').selectOption('webgpu');
      await page.getByTestId('start-train').click();
      const done = await waitForResult(page, model, preset, 560_000);
      expect(await done.textContent()).toMatch(/webgpu/);
      expect(await page.getByTestId('chart-loss').locator('path.recharts-curve').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    }, 600_000);
  }

  it('explains a prediction of the fastText run with token attributions', async () => {
    await page.getByRole('tab', { name: 'Predict' }).click();
    const runSelect = page.getByLabel('Run');
    const fasttext = await runSelect.locator('option', { hasText: 'fasttext ·' }).first().getAttribute('value');
    await runSelect.selectOption(fasttext!);
    await page.getByTestId('predict-input').fill('The striker scored twice as the league leaders won the match');
    await page.getByTestId('predict-button').click();
    await page.getByTestId('explain-1').click();
    await page.getByTestId('attribution').waitFor({ timeout: 60_000 });
    const tokens = page.getByTestId('attribution-token');
    expect(await tokens.count()).toBeGreaterThanOrEqual(10);
    expect(await page.getByTestId('attribution').textContent()).toContain('Why Sports');
    expect(errors).toEqual([]);
  }, 120_000);
});
