import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, importAgNews, openApp, trainPreset, waitForResult } from './helpers';

/** Three quick classical members, picked in this order (the cascade keeps it). */
const MEMBERS = [
  { preset: 'quickstart-nb', model: 'tfidf-nb' },
  { preset: 'tfidf-sgd', model: 'tfidf-sgd' },
  { preset: 'tfidf-logreg', model: 'tfidf-logreg' },
];

/** Waits for the dashboard of a just-built run of this kind, or fails with the page's error. */
async function waitForDashboard(page: Page, kind: 'ensemble' | 'cascade'): Promise<void> {
  const board = page.locator(`[data-testid="ensemble-dashboard"][data-kind="${kind}"]`);
  const failed = page.getByTestId('ensemble-error').or(page.getByTestId('ensemble-report-error'));
  await board.or(failed).first().waitFor({ timeout: 240_000 });
  if (await failed.count()) throw new Error(`building the ${kind} failed: ${await failed.first().textContent()}`);
  await expect.poll(() => page.getByTestId('ensemble-status').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`The ${kind} is built`));
}

describe('Ensemble dashboard over classical runs trained in the page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let ensembleRunId: string;
  beforeAll(async () => {
    ({ browser, page, errors } = await openApp());
    await importAgNews(page, agNewsSlice(1500, 400));
    for (const m of MEMBERS) await trainPreset(page, m.preset, m.model);
  });
  afterAll(async () => browser?.close());

  it('picks members on the Runs page and goes to the build form', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.locator('[data-testid="run-row"][data-status="done"]').count(), { timeout: 30_000 }).toBe(3);
    const build = page.getByTestId('build-ensemble');
    expect(await build.isDisabled()).toBe(true);
    for (const m of MEMBERS) await page.getByRole('checkbox', { name: new RegExp(`^Ensemble member ${m.preset} `) }).check();
    await expect.poll(() => build.textContent()).toBe('Build ensemble (3)');
    await build.click();
    await page.getByTestId('ensemble-page').waitFor();
    expect(await page.getByRole('tab', { name: 'Ensemble', selected: true }).count()).toBe(1);
    expect(page.url()).toMatch(/#ensemble$/);
    expect(await page.getByTestId('ensemble-member-pick').allTextContents()).toEqual(MEMBERS.map((m) => expect.stringContaining(m.preset)));
    expect(await page.getByLabel('Method').inputValue()).toBe('soft');

    // Stacking says which members it can re-fit on train folds and what that costs (classical configs all can).
    await page.getByLabel('Method').selectOption('stacking');
    const plan = page.getByTestId('stacking-plan');
    await plan.waitFor({ timeout: 30_000 });
    expect(await plan.locator('caption').textContent()).toMatch(/3 of 3 can be, about \d.* in all/);
    expect(await plan.locator('tbody tr td:first-of-type').allTextContents()).toEqual(['yes', 'yes', 'yes']);
    await page.getByLabel('Method').selectOption('soft');
    expect(await plan.count()).toBe(0);
  });

  it('builds a soft-voting ensemble and shows members, diversity, contributions and the gain', async () => {
    await page.getByTestId('ensemble-start').click();
    await waitForDashboard(page, 'ensemble');
    ensembleRunId = (await page.getByTestId('ensemble-dashboard').getAttribute('data-run-id'))!;
    const members = page.getByTestId('ensemble-member');
    expect(await members.count()).toBe(3);
    for (const row of await members.all()) expect(await row.textContent()).toMatch(/\d+\.\d\d%/);
    expect(await page.getByTestId('ensemble-accuracy').textContent()).toMatch(/^\d+\.\d\d%$/);

    // 3 members: 6 off-diagonal cells, each a number or undefined; the measure can be switched.
    const cells = page.getByTestId('ensemble-heatmap').getByTestId('ensemble-heat-cell');
    expect(await cells.count()).toBe(6);
    expect((await cells.allTextContents()).every((t) => /^(-?\d\.\d{3}|–)$/.test(t))).toBe(true);
    await page.getByTestId('ensemble-heatmap-measure').selectOption('kappa');
    expect(await page.getByTestId('ensemble-heatmap').getAttribute('aria-label')).toMatch(/kappa/);
    // Kappa of two label sequences of one dataset is at most 1.
    expect((await cells.allTextContents()).every((t) => t === '–' || Number(t) <= 1)).toBe(true);

    await expect.poll(() => page.getByTestId('ensemble-contribution').locator('.recharts-bar-rectangle').count(), { timeout: 30_000 }).toBe(3);

    const gain = page.getByTestId('ensemble-gain');
    expect(await gain.getByTestId('ensemble-gain-delta').textContent()).toMatch(/^[+-]?\d+\.\d\d pp$/);
    expect(await gain.textContent()).toMatch(/\[[+-]?\d+\.\d\d, [+-]?\d+\.\d\d\] pp/);
    expect(await gain.getByTestId('ensemble-gain-p').textContent()).toMatch(/^(< 0\.001|[01]\.\d{3})$/);
    expect(errors).toEqual([]);
  });

  it('evaluates the ensemble on the test split only through the guard, spending one unit of budget', async () => {
    const form = page.getByTestId('test-eval');
    await expect.poll(() => form.textContent(), { timeout: 30_000 }).toMatch(/Spends 1 of the 5 test evaluations left/);
    const button = form.getByTestId('test-eval-button');
    // No purpose, no test read.
    expect(await button.isDisabled()).toBe(true);
    await form.getByLabel('Purpose').fill('e2e: final score of the soft ensemble');
    await button.click();
    const result = form.getByTestId('test-eval-result');
    await result.first().waitFor({ timeout: 120_000 });
    expect(await result.first().textContent()).toMatch(/accuracy \d+\.\d\d%.*n 400 .*“e2e: final score of the soft ensemble”.*budget left 4/);
    await expect.poll(() => form.textContent(), { timeout: 30_000 }).toMatch(/Spends 1 of the 4 test evaluations left/);
  });

  it('builds a cascade from the same members, cheapest first, and shows its accuracy-cost curve', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByTestId('build-cascade').click();
    await page.getByTestId('ensemble-page').waitFor();
    expect(await page.getByTestId('ensemble-start').textContent()).toBe('Build cascade');
    // Each member shows its measured prediction cost; ordering by it puts the cheapest first.
    await page.getByRole('button', { name: 'Order by measured cost' }).click();
    const costsOf = (texts: string[]) => texts.map((t) => Number(/([\d.]+) s \/ 1,000 texts/.exec(t)?.[1]));
    await expect
      .poll(async () => {
        const costs = costsOf(await page.getByTestId('ensemble-member-pick').allTextContents());
        return costs.every((c) => c > 0) && costs.every((c, i) => i === 0 || costs[i - 1] <= c);
      })
      .toBe(true);
    const picks = await page.getByTestId('ensemble-member-pick').allTextContents();
    const cheapest = MEMBERS.find((m) => picks[0].includes(m.preset))!;
    const strongest = MEMBERS.find((m) => picks[2].includes(m.preset))!;
    await page.getByTestId('ensemble-start').click();
    await waitForDashboard(page, 'cascade');

    const stages = page.getByTestId('cascade-stage');
    expect(await stages.count()).toBe(3);
    expect(await stages.first().textContent()).toContain(cheapest.preset);
    expect(await stages.last().textContent()).toContain(strongest.preset);
    expect(await stages.last().textContent()).toMatch(/everything left/);
    // Coverage over the stages adds up to every validation text.
    const coverage = (await stages.locator('td:nth-of-type(2)').allTextContents()).map((t) => Number(/([\d.]+)%/.exec(t)?.[1]));
    expect(coverage.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    const curve = page.getByTestId('cascade-curve');
    await expect.poll(() => curve.locator('.recharts-line-dot').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await curve.locator('.recharts-reference-dot').count()).toBe(1);
    expect(await page.getByTestId('cascade-chosen').textContent()).toMatch(/s per 1,000 texts, accuracy \d+\.\d\d%/);
    expect(await page.getByTestId('cascade-summary').textContent()).toMatch(/escalated to the last stage \d+\.\d%/);

    // Both runs stay on the dashboard's list.
    expect(await page.getByTestId('ensemble-run-select').locator('option').count()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('distils a small fastText student from the ensemble on the Train page and shows the distillation panel', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('combobox', { name: 'Preset' }).selectOption('fasttext-cpu');
    const editor = page.getByLabel('Config (JSON)');
    const preset = JSON.parse(await editor.inputValue()) as { model: Record<string, unknown> };
    // Small enough for a 1,350-text slice in a test; the guard's size checks are overridden with the reason.
    const config = {
      ...preset,
      model: { ...preset.model, dim: 16, buckets: 20_000, train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 2 } },
      distill: { teacher: ensembleRunId, alpha: 0.5, temperature: 2 },
      guard: { override: { reason: 'e2e: a small student on a small slice' } },
    };
    await editor.fill(JSON.stringify(config, null, 2));
    await page.getByTestId('start-train').click();
    await waitForResult(page, 'fasttext', 'distilling fasttext-cpu', 240_000);

    await page.getByRole('tab', { name: 'Ensemble' }).click();
    const select = page.getByTestId('ensemble-run-select');
    // Only the student carries a teacher: its baseline twin is a plain run and stays off the dashboard's list.
    await expect.poll(async () => (await select.locator('option').allTextContents()).filter((t) => t.includes('· fasttext ·')).length, { timeout: 30_000 }).toBe(1);
    const student = await select.locator('option', { hasText: '· fasttext ·' }).getAttribute('value');
    await select.selectOption(student!);
    const panel = page.getByTestId('distillation-panel');
    await panel.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('ensemble-dashboard').getAttribute('data-kind')).toBe('distilled');
    expect(await panel.textContent()).toContain(ensembleRunId);
    expect(await panel.textContent()).toMatch(/0\.50 × cross-entropy \+ 0\.50 × T² × KL.*T = 2\.00/);
    expect(await page.getByTestId('distillation-retention').textContent()).toMatch(/^\d+\.\d% of the teacher's accuracy$/);
    expect(await page.getByTestId('distillation-gain').textContent()).toMatch(/^[+-]?\d+\.\d\d pp \(the same config without a teacher: \d+\.\d\d%, .+\)$/);
    expect(errors).toEqual([]);
  });
});
