import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStandInHub, type StandInHub } from '../test/stand-in-hub';
import { agNewsSlice, importAgNews, openApp, waitForResult } from './helpers';

/**
 * A pretrained encoder fine-tuned in the page: the stand-in Hub serves ../shared/models at a
 * slow link's pace (so the download shows), the page's Hub URL setting points at it, and
 * tiny-bert is picked by Hub id and adapted with LoRA on WebGPU (SwiftShader here), through the
 * real download code, IndexedDB and the worker. After a reload the run is listed as done,
 * predicts from its base reopened from the browser's cache, and explains.
 */
describe('pretrained encoder from the Hub, fine-tuned in the page on WebGPU', () => {
  let hub: StandInHub;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    hub = await startStandInHub({ bytesPerSecond: 1_500_000 });
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(60, 10));
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('downloads tiny-bert with progress, trains LoRA with live curves, and the run survives a reload', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByText('Settings', { exact: true }).click();
    await page.getByTestId('hub-url').fill(hub.url);
    await page.getByTestId('hub-url-save').click();
    await expect.poll(() => page.getByTestId('hub-url-current').textContent()).toContain(hub.url);

    // On WASM the catalog times a small encoder here and gives each entry a time per epoch.
    await page.getByLabel('Backend').selectOption('wasm');
    await page.getByTestId('source-pretrained').check();
    await expect.poll(() => page.getByTestId('pretrained-catalog').textContent(), { timeout: 90_000 }).toMatch(/wasm backend \(measured [\d.]+ GFLOP\/s here\)/);
    const minilm = page.getByTestId('catalog-row').filter({ hasText: 'all-MiniLM-L6-v2' });
    expect(await minilm.locator('td').nth(6).textContent()).toMatch(/\d+ (s|min|h)/);
    await page.getByLabel('Backend').selectOption('webgpu');
    // The curated catalog with this device's estimates and licences; SwiftShader's speed is not measured (minutes of kernel compilation).
    await expect.poll(() => page.getByTestId('catalog-row').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(8);
    await expect.poll(() => page.getByTestId('pretrained-catalog').textContent(), { timeout: 60_000 }).toMatch(/webgpu backend \(speed not measured on a software WebGPU adapter/);
    const catalog = await page.getByTestId('pretrained-catalog').textContent();
    for (const name of ['bert-base-uncased', 'distilroberta-base', 'deberta-v3-small', 'all-MiniLM-L6-v2']) expect(catalog).toContain(name);
    expect(catalog).toContain('apache-2.0');

    await page.getByTestId('hub-model-id').fill('local/tiny-bert');
    await page.getByLabel('Method').selectOption('lora');
    await page.getByLabel('Batch size').fill('8');
    // 16 examples in batches of 8: one optimizer step per batch, so the loss curve has points to draw.
    await page.getByLabel('Accumulate batches').fill('1');
    await page.getByLabel('Max length (tokens)').fill('32');
    await page.getByLabel('Epochs').fill('1');
    await page.getByLabel('Training examples (at most)').fill('16');
    // The id typed is not in the catalog: it gets its own row, sized from its known shape.
    await expect.poll(() => page.getByTestId('catalog-row').filter({ hasText: 'local/tiny-bert' }).count(), { timeout: 60_000 }).toBe(1);
    // 16 examples are far too few for the guard: state why, as a user running a smoke test would.
    const config = JSON.parse(await page.getByLabel('Config (JSON)').inputValue());
    expect(config.model).toMatchObject({ type: 'pretrained', base: 'hf:local/tiny-bert', method: 'lora', maxLength: 32, train: { batchSize: 8, accumulate: 1, epochs: 1 } });
    // One logged step per optimizer step, so the two steps draw a curve.
    const edited = { ...config, model: { ...config.model, train: { ...config.model.train, logEvery: 1 } }, guard: { override: { reason: 'e2e smoke test on a tiny slice' } } };
    await page.getByLabel('Config (JSON)').fill(JSON.stringify(edited, null, 2));
    await expect.poll(() => page.getByTestId('start-train').isEnabled(), { timeout: 90_000 }).toBe(true);
    await page.getByTestId('start-train').click();
    const started = Date.now();

    // Download progress in bytes with the total and time left, then the curves.
    const progress = page.getByTestId('train-phase').filter({ hasText: 'Downloading hf:local/tiny-bert' });
    await progress.waitFor({ timeout: 60_000 });
    // The first event may still say 0 B: wait for bytes to arrive (the stand-in Hub sends them slowly).
    await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toMatch(/[\d.]+ [KM]B \/ 4\.\d+ MB \(\d+%\)/);
    await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toMatch(/about .+ left/);
    const done = await waitForResult(page, 'pretrained', 'tiny-bert LoRA', 400_000);
    console.log(`tiny-bert LoRA on SwiftShader: ${Math.round((Date.now() - started) / 1000)} s from start to result`);
    expect(await done.textContent()).toMatch(/webgpu/);
    expect(await page.getByTestId('train-download').textContent()).toContain('hf:local/tiny-bert');
    expect(await page.getByTestId('chart-loss').locator('path.recharts-curve').count()).toBeGreaterThan(0);
    const files = hub.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(files).toContain('/api/models/local/tiny-bert/revision/main');
    expect(files.some((p) => p.endsWith('/model.safetensors'))).toBe(true);

    await page.reload();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const row = page.getByTestId('run-row').filter({ hasText: 'tiny-bert-lora' });
    await row.first().waitFor({ timeout: 30_000 });
    expect(await row.first().getAttribute('data-status')).toBe('done');
    expect(errors).toEqual([]);
  }, 560_000);

  it('predicts and explains with the fine-tuned model after the reload', async () => {
    const downloads = hub.requests.filter((r) => r.path.endsWith('/model.safetensors')).length;
    await page.getByRole('tab', { name: 'Predict' }).click();
    const runSelect = page.getByLabel('Run');
    const run = await runSelect.locator('option', { hasText: 'tiny-bert-lora' }).first().getAttribute('value');
    await runSelect.selectOption(run!);
    await page.getByTestId('predict-input').fill('The striker scored twice as the league leaders won the match');
    await page.getByTestId('predict-button').click();
    await page.getByTestId('predict-result').waitFor({ timeout: 60_000 });
    const probs = await page.getByTestId('predict-class').allTextContents();
    expect(probs).toHaveLength(4);
    expect(probs.join(' ')).toMatch(/\d+(\.\d+)?%/);
    await page.getByTestId('explain-1').click();
    await page.getByTestId('attribution').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('attribution-token').count()).toBeGreaterThanOrEqual(8);
    expect(await page.getByTestId('attribution').textContent()).toContain('Why Sports');
    // The base came from the browser's cache: nothing was downloaded again.
    expect(hub.requests.filter((r) => r.path.endsWith('/model.safetensors')).length).toBe(downloads);
    expect(errors).toEqual([]);
  }, 120_000);
});
