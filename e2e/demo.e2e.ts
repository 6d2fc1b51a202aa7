import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agnewsAsync, agNewsSliceDir, lastJson } from '../test/cli-spawn';
import { SHARED_MODELS, startStandInHub, type StandInHub } from '../test/stand-in-hub';
import { agNewsSlice, importAgNews, openApp, trainPreset } from './helpers';

const SPORTS = 'The team won the championship final after a late goal';

/** The terminal's runs for the `?model=` cases: a tiny-bert run exported as ONNX and a naive Bayes run exported as its bundle. */
async function exportedFolders(): Promise<{ onnx: string; bundle: string; onnxProbs: number[] }> {
  const cache = mkdtempSync(join(tmpdir(), 'agnews-demo-cache-'));
  const agnews = async (...args: string[]) => {
    const r = await agnewsAsync(cache, {}, 300_000, ...args, '--json');
    if (r.status !== 0) throw new Error(`agnews ${args[0]} failed: ${r.stderr}`);
    return lastJson(r.stdout) as unknown;
  };
  const home = mkdtempSync(join(tmpdir(), 'agnews-demo-'));
  const data = agNewsSliceDir('agnews-demo-data-', 400, 24);
  const bert = join(home, 'bert');
  await agnews('import-model', '--from', resolve(SHARED_MODELS, 'tiny-bert'), '--data', data, '--out', bert, '--max-length', '64', '--backend', 'cpu');
  await agnews('export', '--run', bert, '--format', 'onnx', '--out', join(home, 'onnx'), '--backend', 'cpu');
  const nb = join(home, 'nb');
  await agnews('train', '--config', 'configs/quickstart-nb.json', '--data', data, '--out', nb);
  await agnews('export', '--run', nb, '--format', 'bundle', '--out', join(home, 'bundle'));
  const predicted = (await agnews('predict', '--run', bert, '--text', SPORTS, '--backend', 'cpu')) as { predictions: { probs: Record<string, number> }[] };
  return { onnx: join(home, 'onnx'), bundle: join(home, 'bundle'), onnxProbs: Object.values(predicted.predictions[0].probs) };
}

/**
 * The demo page on runs the test trains in the app (a linear model, and a cascade of two), and on
 * folders exported by the terminal and served over HTTP from another origin (`?model=`): an ONNX
 * Hugging Face folder run by transformers.js in its own worker, and a run bundle opened as a run. It
 * classifies as the text is typed (a bar per class, the time taken, the tokens that pushed the
 * decision, the cascade's stage), and the run's page offers its export as a zip.
 */
describe('demo page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let hub: StandInHub;
  let folders: Awaited<ReturnType<typeof exportedFolders>>;
  beforeAll(async () => {
    const exported = exportedFolders();
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(1200, 100));
    await trainPreset(page, 'tfidf-logreg', 'tfidf-logreg');
    folders = await exported;
    hub = await startStandInHub({ repos: { 'local/onnx': folders.onnx, 'local/bundle': folders.bundle, 'local/empty': SHARED_MODELS } });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });
  /** The page's error, or '' when it shows none (so a failed expectation prints the page's reason). */
  const shownError = async () => ((await page.getByTestId('demo-error').count()) ? ((await page.getByTestId('demo-error').textContent()) ?? '') : '');
  const served = (repo: string) => encodeURIComponent(`${hub.url}/local/${repo}/resolve/main/`);

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
    await page.getByTestId('demo-text').fill(SPORTS);
    await page.getByTestId('demo-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('demo-bar').count()).toBe(4);
    expect(await page.getByTestId('demo-latency').textContent()).toMatch(/\d+(\.\d)? ms/);
    expect(await page.getByTestId('demo-label').textContent()).toBe('Sports');
    // A linear model gives no token attributions: the page says so instead of showing none silently.
    expect(await page.getByTestId('demo-no-tokens').textContent()).toMatch(/does not give token attributions/);
    // Not a cascade: no route is shown.
    expect(await page.getByTestId('demo-route').count()).toBe(0);
    // Typing on replaces the prediction with one for the new text.
    await page.getByTestId('demo-text').fill('Shares of the bank fell after quarterly profit missed forecasts');
    await expect.poll(() => page.getByTestId('demo-label').textContent(), { timeout: 60_000 }).toBe('Business');
    expect(errors).toEqual([]);
  }, 180_000);

  it('runs an exported tiny-bert ONNX folder served from another origin, with the probabilities the terminal gives', async () => {
    await page.goto(`${inject('appUrl')}/demo.html?model=${served('onnx')}`);
    await page.getByTestId('demo-url-model').or(page.getByTestId('demo-error')).first().waitFor({ timeout: 120_000 });
    expect(await shownError()).toBe('');
    expect(await page.getByTestId('demo-url-model').textContent()).toMatch(/local\/onnx\/resolve\/main\/ \(ONNX\)/);
    // It runs in its own worker; this Chromium's WebGPU is SwiftShader (or none), which ranks below WASM, and the page says why.
    expect(await page.getByTestId('demo-runtime').textContent()).toMatch(/^ONNX Runtime on WASM \((software adapter \(SwiftShader\) is slower than WASM|navigator\.gpu).+\)$/);
    await page.getByTestId('demo-text').fill(SPORTS);
    await page.getByTestId('demo-result').or(page.getByTestId('demo-error')).first().waitFor({ timeout: 120_000 });
    expect(await shownError()).toBe('');
    expect(await page.getByTestId('demo-bar').count()).toBe(4);
    expect(await page.getByTestId('demo-latency').textContent()).toMatch(/\d+(\.\d)? ms/);
    const shown = (await page.getByTestId('demo-bar').allTextContents()).map((t) => Number(/([\d.]+)%$/.exec(t)![1]) / 100);
    folders.onnxProbs.forEach((p, k) => expect(Math.abs(shown[k] - p)).toBeLessThan(0.0006));
    // Every file came from the served folder (no CDN, no Hub): the model files and ONNX Runtime's WebAssembly from the app.
    const fetched = hub.requests.filter((r) => r.path.startsWith('/local/onnx/')).map((r) => r.path);
    expect(fetched).toEqual(expect.arrayContaining(['/local/onnx/resolve/main/config.json', '/local/onnx/resolve/main/onnx/model.onnx']));
    expect(errors).toEqual([]);
  }, 300_000);

  it('opens a run bundle served at a URL as a run of this browser and classifies with it', async () => {
    await page.goto(`${inject('appUrl')}/demo.html?model=${served('bundle')}`);
    const runSelect = page.getByTestId('demo-run');
    await expect.poll(async () => (await shownError()) || ((await runSelect.count()) ? await runSelect.inputValue() : ''), { timeout: 60_000 }).toMatch(/^bundle-nb-[0-9a-f]{8}$/);
    await page.getByTestId('demo-text').fill(SPORTS);
    await expect.poll(() => page.getByTestId('demo-label').textContent(), { timeout: 60_000 }).toBe('Sports');
    expect(await page.getByTestId('demo-bar').count()).toBe(4);
    expect(errors).toEqual([]);
  }, 120_000);

  it('says plainly when the URL is not a model folder', async () => {
    await page.goto(`${inject('appUrl')}/demo.html?model=${served('empty')}`);
    await expect
      .poll(() => page.getByTestId('demo-error').textContent(), { timeout: 60_000 })
      .toMatch(/not a model folder \(neither run\.json of a run bundle nor config\.json of a Hugging Face folder is there\)/);
  }, 60_000);

  it('shows which stage of a cascade answered', async () => {
    await page.goto(inject('appUrl') + '/');
    await trainPreset(page, 'quickstart-nb', 'tfidf-nb');
    await page.getByRole('tab', { name: 'Runs' }).click();
    // Runs trained here only (the bundle opened above is a quickstart-nb run too).
    for (const preset of ['quickstart-nb', 'tfidf-logreg']) await page.getByRole('checkbox', { name: new RegExp(`^Ensemble member ${preset} \\d+-${preset}-`) }).check();
    await page.getByTestId('build-cascade').click();
    await page.getByTestId('ensemble-page').waitFor();
    await page.getByTestId('ensemble-start').click();
    const board = page.locator('[data-testid="ensemble-dashboard"][data-kind="cascade"]');
    const failed = page.getByTestId('ensemble-error').or(page.getByTestId('ensemble-report-error'));
    await board.or(failed).first().waitFor({ timeout: 240_000 });
    if (await failed.count()) throw new Error(`building the cascade failed: ${await failed.first().textContent()}`);
    const runId = (await board.getAttribute('data-run-id'))!;

    await page.goto(`${inject('appUrl')}/demo.html?run=${encodeURIComponent(runId)}`);
    await expect.poll(() => page.getByTestId('demo-run').inputValue(), { timeout: 60_000 }).toBe(runId);
    await page.getByTestId('demo-text').fill(SPORTS);
    await expect.poll(() => page.getByTestId('demo-route').textContent(), { timeout: 60_000 }).toMatch(/^Answered by stage [12] of 2: .+-(nb|logreg)-/);
    expect(await page.getByTestId('demo-bar').count()).toBe(4);
    expect(errors).toEqual([]);
  }, 400_000);
});
