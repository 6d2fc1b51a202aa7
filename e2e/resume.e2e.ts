import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from '../src/platform/node/chromium';
import { agNewsSlice, importAgNews, waitForResult } from './helpers';

// A fastText run small enough for SwiftShader, checkpointing every 4 steps.
const CONFIG = {
  name: 'resume-e2e',
  model: { type: 'fasttext', dim: 8, buckets: 512, train: { epochs: 4, batchSize: 16, logEvery: 1, checkpointEvery: 4 } },
};

describe('closing the tab mid-run and reopening it offers resume', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(inject('appUrl') + '/');
    await importAgNews(page, agNewsSlice(400, 50));
  });
  afterAll(async () => browser?.close());

  it('resumes an interrupted run from its checkpoint and finishes it', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Preset').selectOption('fasttext');
    await page.getByLabel('Config (JSON)').fill(JSON.stringify(CONFIG, null, 2));
    // WebGPU on SwiftShader, chosen explicitly (auto would pick WASM): the training path the
    // page takes on a GPU, and slow enough that the tab closes mid-run.
    await page.getByLabel('Backend').selectOption('webgpu');
    await page.getByTestId('start-train').click();
    // Wait until the run is well past its first checkpoint (step 4), then close the tab.
    await expect
      .poll(async () => Number(((await page.getByTestId('train-status').textContent()) ?? '').match(/step ([\d,]+)/)?.[1]?.replace(/,/g, '') ?? 0), { timeout: 120_000 })
      .toBeGreaterThan(9);
    await page.close();

    page = await context.newPage();
    await page.goto(inject('appUrl') + '/#runs');
    await page.getByTestId('resume-banner').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('resume-banner').textContent()).toMatch(/resume-e2e/);
    await page.getByTestId('resume-run').click();
    await waitForResult(page, 'fasttext', 'resume', 180_000);
    expect(await page.getByTestId('train-log').textContent()).toMatch(/resuming from step \d+/);

    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(['done']);
    expect(await page.getByTestId('resume-banner').count()).toBe(0);
  });
});
