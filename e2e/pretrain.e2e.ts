import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStandInHub, type StandInHub } from '../test/stand-in-hub';
import { agNewsSlice, importAgNews, openApp } from './helpers';

/**
 * The pretrained panel's "Continue pretraining (MLM)": tiny-bert from the stand-in Hub (a
 * sequence classifier, so a fresh MLM head) trained 3 steps on 16 of the dataset's train texts in
 * the worker on WASM, and saved in the browser's store under the name the panel shows.
 */
describe('continue pretraining (MLM) in the page', () => {
  let hub: StandInHub;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    hub = await startStandInHub();
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(60, 10));
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('pretrains tiny-bert from the stand-in Hub on WASM and says where it saved it', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByText('Settings', { exact: true }).click();
    await page.getByTestId('hub-url').fill(hub.url);
    await page.getByTestId('hub-url-save').click();
    await page.getByLabel('Backend').selectOption('wasm');
    await page.getByTestId('source-pretrained').check();
    await page.getByTestId('hub-model-id').fill('local/tiny-bert');
    await page.getByLabel('Batch size').fill('4');
    await page.getByLabel('Max length (tokens)').fill('32');
    await page.getByText('Continue pretraining (MLM)', { exact: true }).first().click();
    await page.getByLabel('Steps').fill('3');
    await page.getByLabel('Train texts (at most)').fill('16');
    await expect.poll(() => page.getByTestId('pretrain-start').isEnabled(), { timeout: 90_000 }).toBe(true);
    await page.getByTestId('pretrain-start').click();
    await page.getByTestId('pretrain-done').waitFor({ timeout: 300_000 });
    const text = await page.getByTestId('pretrain-done').textContent();
    expect(text).toMatch(/Saved BertForMaskedLM as tiny-bert-mlm after 3 steps on 16 train texts \(MLM loss [\d.]+/);
    expect(errors).toEqual([]);
  }, 600_000);
});
