import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, waitForResult } from './helpers';

/**
 * The classical tier from the page: the four TF-IDF presets train unedited, a run shows its
 * validation analysis, top features per class and a robustness check, and a grid search runs
 * on the validation split with progress, can be cancelled, and hands its winner to the config.
 */
describe('classical presets from the page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(1500, 200));
  });
  afterAll(async () => browser?.close());

  for (const [preset, model] of [
    ['tfidf-nb', 'tfidf-nb'],
    ['tfidf-logreg', 'tfidf-logreg'],
    ['tfidf-svm', 'tfidf-svm'],
    ['tfidf-sgd', 'tfidf-sgd'],
  ]) {
    it(`trains ${preset}`, async () => {
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByLabel('Preset').selectOption(preset);
      await page.getByTestId('start-train').click();
      const done = await waitForResult(page, model, preset, 240_000);
      const acc = Number((await done.getByTestId('result-accuracy').textContent())!.replace(/[^0-9.]/g, ''));
      expect(acc).toBeGreaterThan(60); // percent, 150 validation examples of a 1,500-row slice
      expect(await done.getByTestId('result-throughput').textContent()).toMatch(/texts\/s/);
    }, 300_000);
  }

  it('shows the validation analysis (with calibration before and after), top features and robustness of a run', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    const row = page.getByTestId('run-row').filter({ hasText: 'tfidf-svm' });
    await row.getByRole('button', { name: /^Open run/ }).click();
    const detail = page.getByTestId('run-detail');
    await detail.getByTestId('validation-analysis').waitFor();
    expect(await detail.getByTestId('analysis-accuracy').textContent()).toMatch(/%\s*\[.*%.*%\]/);
    // The svm preset is Platt-calibrated: the report shows ECE and log loss before and after.
    expect(await detail.getByTestId('analysis-calibration').textContent()).toMatch(/ECE \d\.\d{3} → \d\.\d{3} · log loss \d\.\d{3} → \d\.\d{3}/);
    await detail.getByTestId('show-top-features').click();
    await detail.getByTestId('top-features').waitFor({ timeout: 60_000 });
    expect(await detail.locator('.feature-list').count()).toBe(4);
    expect(await detail.getByTestId('top-features').textContent()).toContain('Sports');
    await detail.getByTestId('run-robustness').click();
    await detail.getByTestId('robustness').waitFor({ timeout: 60_000 });
    expect(await detail.getByTestId('robustness-row').count()).toBe(3);
    expect(errors).toEqual([]);
  });

  it('searches a grid on validation, and uses the best settings', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Preset').selectOption('tfidf-nb');
    const panel = page.getByTestId('grid-search');
    await panel.locator('summary').click();
    await panel.getByTestId('grid-start').click();
    await panel.getByTestId('grid-results').waitFor({ timeout: 120_000 });
    expect(await panel.getByTestId('grid-row').count()).toBe(5);
    const best = (await panel.locator('tr.better code').textContent())!;
    await panel.getByTestId('grid-apply').click();
    const config = JSON.parse(await page.getByLabel('Config (JSON)').inputValue());
    expect(config.model.alpha).toBe(JSON.parse(best).alpha);
  }, 180_000);

  it('cancels a grid search', async () => {
    const panel = page.getByTestId('grid-search');
    await page.getByLabel('Preset').selectOption('tfidf-svm');
    // 600 fits with wide char n-grams: minutes of work, so the cancel always lands midway.
    const C = Array.from({ length: 200 }, (_, i) => 0.01 * (i + 1));
    await panel.getByLabel('Grid (JSON)').fill(JSON.stringify({ C, 'vectorizer.char': [{ ngramMin: 2, ngramMax: 6 }], 'vectorizer.word.ngramMax': [1, 2, 3] }));
    await panel.getByTestId('grid-start').click();
    await expect.poll(() => panel.getByTestId('grid-progress').textContent(), { timeout: 60_000 }).toMatch(/[1-9]\d* \/ 600/);
    await panel.getByTestId('grid-cancel').click();
    await panel.getByTestId('grid-cancelled').waitFor({ timeout: 30_000 });
    expect(await panel.getByTestId('grid-results').count()).toBe(0);
    // The lab is free again: a training run starts.
    await expect.poll(() => page.getByTestId('start-train').isEnabled()).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);
});
