import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, trainPreset } from './helpers';

/**
 * The demo page on a run the test trains in the app: it lists the run, classifies as the text is
 * typed (a bar per class, the time taken, the tokens that pushed the decision), and the run's
 * page offers its export as a zip (the run bundle for a classical model).
 */
describe('demo page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(1200, 100));
    await trainPreset(page, 'tfidf-logreg', 'tfidf-logreg');
  }, 400_000);
  afterAll(async () => browser?.close());

  it('the run page downloads the run bundle as a zip, and refuses Hugging Face for a classical model with the reason', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page
      .getByTestId('run-row')
      .filter({ hasText: 'tfidf-logreg' })
      .getByRole('button', { name: /^Open run/ })
      .click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-export-bundle').click()]);
    expect(download.suggestedFilename()).toMatch(/-bundle\.zip$/);
    await page.getByTestId('run-export-hf').click();
    await expect.poll(() => page.getByTestId('run-export-error').textContent(), { timeout: 30_000 }).toMatch(/not a pretrained encoder.*bundle/);
  }, 120_000);

  it('classifies as you type with bars and latency, and says when the model gives no token attributions', async () => {
    await page.goto(inject('appUrl') + '/demo.html');
    await expect.poll(() => page.getByTestId('demo-run').textContent(), { timeout: 60_000 }).toMatch(/tfidf-logreg/);
    await page.getByTestId('demo-text').fill('The team won the championship final after a late goal');
    await page.getByTestId('demo-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('demo-bar').count()).toBe(4);
    expect(await page.getByTestId('demo-latency').textContent()).toMatch(/\d+(\.\d)? ms/);
    expect(await page.getByTestId('demo-label').textContent()).toBe('Sports');
    // A linear model gives no token attributions: the page says so instead of showing none silently.
    expect(await page.getByTestId('demo-no-tokens').textContent()).toMatch(/does not give token attributions/);
    // Typing on replaces the prediction with one for the new text.
    await page.getByTestId('demo-text').fill('Shares of the bank fell after quarterly profit missed forecasts');
    await expect.poll(() => page.getByTestId('demo-label').textContent(), { timeout: 60_000 }).toBe('Business');
    expect(errors).toEqual([]);
  }, 180_000);
});
