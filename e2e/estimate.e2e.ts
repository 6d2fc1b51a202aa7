import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, waitForResult } from './helpers';

// A screenshot of the card for the note (outside the repo).
const SHOTS = '/tmp/shots';

/** The estimate card's figures once it has settled on the selected config. */
async function settledEstimate(page: Page) {
  const card = page.getByTestId('train-estimate');
  await expect.poll(async () => (await card.getAttribute('aria-busy')) === 'false' && (await card.getAttribute('data-stale')) === null, { timeout: 45_000 }).toBe(true);
  if (await page.getByTestId('estimate-error').count()) throw new Error(`estimate failed: ${await page.getByTestId('estimate-error').textContent()}`);
  const text = async (id: string) => (await card.getByTestId(id).textContent())!;
  return { parameters: await text('estimate-parameters'), peak: await text('estimate-peak'), total: await text('estimate-total'), epoch: await text('estimate-epoch') };
}

describe('Train page: the cost estimate before a run', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(400, 50));
    await page.getByRole('tab', { name: 'Train' }).click();
  });
  afterAll(async () => browser?.close());

  it('shows parameters, a time and a peak memory for quickstart-nb, and changes with the preset', async () => {
    await page.getByRole('combobox', { name: 'Preset' }).selectOption('quickstart-nb');
    const nb = await settledEstimate(page);
    expect(nb.parameters).toMatch(/\d/);
    expect(nb.peak).toMatch(/\d+(\.\d+)? (B|KB|MB|GB)/);
    expect(nb.total).toMatch(/\d+(\.\d+)? s|\d+ min/);
    expect(await page.getByTestId('estimate-basis').textContent()).toMatch(/Basis: \S/);
    mkdirSync(SHOTS, { recursive: true });
    await page.getByTestId('train-estimate').screenshot({ path: `${SHOTS}/train-estimate.png` });

    await page.getByRole('combobox', { name: 'Preset' }).selectOption('tfidf-svm');
    // The card marks the figures it shows as the previous config's until the new estimate lands.
    await expect.poll(() => page.getByTestId('train-estimate').getAttribute('data-stale'), { timeout: 5_000 }).toBe('true');
    const svm = await settledEstimate(page);
    expect(svm).not.toEqual(nb);
    expect(errors).toEqual([]);
  });

  it('a run started while the estimate is timing its config still starts, once the timing is over', async () => {
    // A config not estimated yet on this device: its first estimate times a fit and holds the machine meanwhile.
    await page.getByRole('combobox', { name: 'Preset' }).selectOption('tfidf-sgd');
    await page.getByTestId('estimate-loading').waitFor({ timeout: 10_000 });
    await page.getByTestId('start-train').click();
    await waitForResult(page, 'tfidf-sgd', 'training tfidf-sgd during its estimate', 60_000);
    expect(await page.getByTestId('estimate-error').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('warns before Start when the estimate is more than the compute budget left', async () => {
    await page.getByRole('tab', { name: 'Quota' }).click();
    // 0.3 s per run: less than any preset's estimate.
    await page.getByLabel('Per run budget (minutes)').fill('0.005');
    await page.getByTestId('budget-save').click();
    await page
      .getByTestId('budget-left')
      .filter({ hasText: /left for a run starting now/ })
      .waitFor({ timeout: 10_000 });
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('combobox', { name: 'Preset' }).selectOption('quickstart-nb');
    await settledEstimate(page);
    expect(await page.getByTestId('estimate-budget-warning').textContent()).toMatch(/more than the 0\.3 s of compute budget left/);
    expect(errors).toEqual([]);
  });
});
