import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, waitForResult } from './helpers';

/**
 * A deliberately overfitting config: a Transformer on ~300 examples with no dropout, no weight
 * decay, no early stopping and 60 epochs. The pre-training checks refuse it, so it states an
 * override; the live monitors must then raise alerts and the validation-loss monitor must halt
 * it, all visible in the overfitting dashboard while it trains and after.
 */
const OVERFIT = {
  name: 'overfit-transformer',
  model: {
    type: 'transformer',
    minCount: 1,
    dim: 32,
    layers: 1,
    heads: 2,
    ffDim: 64,
    dropout: 0,
    maxTokens: 48,
    train: { epochs: 60, batchSize: 32, lr: 0.003, weightDecay: 0, warmupSteps: 0, schedule: 'constant', maxLen: 48, earlyStopping: null, checkpointEvery: 0 },
  },
  guard: { override: { reason: 'e2e: deliberately overfitting to see the monitors act' } },
};

describe('overfitting dashboard (WebGPU on SwiftShader)', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(340, 40));
  });
  afterAll(async () => browser?.close());

  it('shows the sealed test split, its budget and the leakage report right after import', async () => {
    await expect.poll(() => page.getByTestId('dataset-guard-seal').textContent(), { timeout: 30_000 }).toMatch(/Test split sealed · 5 of 5 test evaluations left/);
    await page.getByTestId('dataset-guard').getByRole('button', { name: 'details' }).click();
    await expect.poll(() => page.getByTestId('guard-verified').getAttribute('data-ok'), { timeout: 30_000 }).toBe('true');
    expect(await page.getByTestId('guard-budget').textContent()).toMatch(/0 of 5 used, 5 left/);
    expect(await page.getByTestId('guard-log-empty').count()).toBe(1);
    expect(await page.getByTestId('leakage-pair').count()).toBe(3);
  });

  it('trains the overfitting config with an override; alerts appear live and the monitor halts it', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Preset').selectOption('transformer-small');
    await page.getByLabel('Config (JSON)').fill(JSON.stringify(OVERFIT, null, 2));
    await page.getByLabel('Backend').selectOption('webgpu');
    await page.getByTestId('start-train').click();

    // While it trains, the dashboard follows the live run. SwiftShader takes a few minutes
    // for the six or so epochs this config needs to overfit and be halted.
    await page.getByRole('tab', { name: 'Overfitting' }).click();
    await page.getByTestId('alert-item').first().waitFor({ timeout: 500_000 });
    await page.getByRole('tab', { name: 'Train' }).click();
    const done = await waitForResult(page, 'transformer', 'the overfitting run', 500_000);
    expect(await done.textContent()).toMatch(/webgpu/);

    await page.getByRole('tab', { name: 'Overfitting' }).click();
    await expect.poll(() => page.getByTestId('run-stopped').textContent(), { timeout: 30_000 }).toMatch(/halted by the val-loss-rising monitor/);
    const halts = page.locator('[data-testid="alert-item"][data-action="halt"]');
    expect(await halts.count()).toBeGreaterThanOrEqual(1);
    // Gap shaded (an area) and both curves drawn, with a marker line per alert.
    const chart = page.getByTestId('gap-chart-loss');
    expect(await chart.locator('path.recharts-area-area').count()).toBe(1);
    expect(await chart.locator('path.recharts-curve').count()).toBeGreaterThanOrEqual(2);
    expect(await chart.locator('.recharts-reference-line').count()).toBe(await page.getByTestId('alert-item').count());
    const score = Number(await page.getByTestId('risk-score').textContent());
    expect(score).toBeGreaterThanOrEqual(60);
    expect(await page.getByTestId('risk-override').textContent()).toContain('deliberately overfitting');
    expect(await page.getByTestId('risk-component').count()).toBe(6);
    expect(errors).toEqual([]);
  }, 900_000);

  it('evaluates the run on the test split through the guard and logs it', async () => {
    await page.getByTestId('test-eval').getByRole('textbox').fill('e2e: final look at the overfit run');
    await page.getByTestId('test-eval-button').click();
    await page.getByTestId('test-eval-result').first().waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('test-eval-result').first().textContent()).toMatch(/accuracy .*n 40 .*budget left 4/);
    await expect.poll(() => page.getByTestId('guard-budget').textContent(), { timeout: 30_000 }).toMatch(/1 of 5 used, 4 left/);
    expect(await page.locator('[data-testid="guard-log-row"][data-outcome="granted"]').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 200_000);
});
