/**
 * A new user's first ten minutes at 1280x800: the "Start here" guide, a malformed file, a good
 * slice of AG News, the fast default preset, a neural run with live progress, the storage
 * figure after a reload, and no page that scrolls sideways (Compare's 18 columns included).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../src/platform/node/chromium';
import { formatBytes } from '../src/ui/util/format';
import { agNewsSlice, waitForResult, writeTemp } from './helpers';

const TABS = ['Data', 'Train', 'Runs', 'Compare', 'Overfitting', 'Predict'];

/** Page width beyond the viewport, in CSS pixels: 0 when nothing scrolls sideways. */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function noSidewaysScroll(page: Page, where: string): Promise<void> {
  await page.waitForTimeout(300); // charts size themselves after the first paint
  expect(await sideways(page), `${where} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe('First run at 1280x800', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(inject('appUrl') + '/');
    await page.getByRole('tab', { name: 'Data' }).waitFor();
  });
  afterAll(async () => browser?.close());

  it('opens on the Data page with a "Start here" guide and scrolls sideways nowhere', async () => {
    const guide = page.getByTestId('start-here');
    await guide.waitFor({ timeout: 60_000 });
    expect(await guide.textContent()).toMatch(/Load AG News from the Hub.*Train a fast model.*quickstart-nb.*Look at the result/s);
    for (const tab of TABS) {
      await page.getByRole('tab', { name: tab }).click();
      await noSidewaysScroll(page, `the empty ${tab} page`);
    }
    await page.getByRole('tab', { name: 'Overfitting' }).click();
    await page.getByRole('tab', { name: 'Data' }).click();
  });

  it('says what is wrong with a malformed file in one plain sentence, then the list, and can dismiss it', async () => {
    const bad = writeTemp('train.csv', '"1","ok title","ok text"\n"9","bad label","row two"\n"2","unterminated,"quote\n"3","fine","row four"\n');
    const classes = writeTemp('classes.txt', 'World\nSports\nBusiness\nSci/Tech\n');
    await page.getByLabel('Dataset files').setInputFiles([bad, classes]);
    const alert = page.getByTestId('import-error');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.locator('.alert-text').textContent()).toBe('train.csv has 2 errors, so nothing was imported:');
    expect(await alert.locator('.issues li').allTextContents()).toEqual([
      'train.csv line 2: label "9" is not one of 1..4 (classes.txt has 4 classes)',
      'train.csv line 3: unexpected text after a closing quote in field 2 (quotes inside a field must be doubled)',
    ]);
    expect(await alert.textContent()).not.toMatch(/InputError|ImportError/);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    expect(await alert.count()).toBe(0);
  });

  it('imports a slice and leads to the fast preset', async () => {
    await page.getByLabel('Dataset files').setInputFiles(agNewsSlice(1500, 300));
    await page.getByTestId('dataset-row').first().waitFor({ timeout: 120_000 });
    const go = page.getByTestId('start-here-train');
    await go.waitFor();
    await go.click();
    expect(await page.getByRole('tab', { name: 'Train', selected: true }).count()).toBe(1);
    expect(await page.getByLabel('Preset').inputValue()).toBe('quickstart-nb');
    await page.getByTestId('start-train').click();
    const done = await waitForResult(page, 'tfidf-nb', 'training quickstart-nb', 240_000);
    expect(await done.getByTestId('result-accuracy').textContent()).toMatch(/%/);
    // One pass, no epochs: figures, not a chart of one dot.
    expect(await page.getByTestId('single-pass').count()).toBe(1);
    expect(await page.getByTestId('chart-loss').count()).toBe(0);
    expect(await page.getByTestId('train-log').textContent()).not.toBe('No log lines yet.');
  });

  it('says "could not be judged" for the single-pass run instead of a risk score', async () => {
    await page.getByRole('tab', { name: 'Overfitting' }).click();
    const card = page.getByTestId('risk-card');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('risk-unjudged').textContent()).toMatch(/not applicable.*could not be judged/);
    expect(await card.getByTestId('risk-score').count()).toBe(0);
  });

  it('shows training progress that moves: phase, step and epoch of their totals, speed and time left', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Preset').selectOption('quickstart-fasttext');
    await page.getByTestId('start-train').click();
    const progress = page.getByTestId('train-progress');
    const seen = new Set<string>();
    const result = page.getByTestId('train-result').filter({ hasText: 'fasttext' });
    const failed = page.getByTestId('train-error');
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && !(await result.count()) && !(await failed.count())) {
      if (await progress.count()) seen.add((await progress.textContent()) ?? '');
      await page.waitForTimeout(150);
    }
    if (await failed.count()) throw new Error(`training quickstart-fasttext failed: ${await failed.textContent()}`);
    const texts = [...seen];
    expect(texts.length, `progress texts seen: ${texts.join(' | ')}`).toBeGreaterThanOrEqual(2);
    for (const t of texts) expect(t).toMatch(/^epoch \d+ of 3 · step \d+ of \d+ \(\d+%\) · [\d,]+ examples\/s · (about .+ left|time left: measuring…)$/);
    expect(
      texts.some((t) => / left$/.test(t) && !/measuring/.test(t)),
      'an ETA appeared',
    ).toBe(true);
    // Curves drawn from the early logged steps, with whole-number step ticks.
    // The x-axis tick labels are the ones on the lowest line of the chart.
    const ticks = await page
      .getByTestId('chart-loss')
      .locator('.recharts-cartesian-axis-tick-value')
      .evaluateAll((els) => {
        const ys = els.map((e) => e.getBoundingClientRect().top);
        const bottom = Math.max(...ys);
        return els.filter((_, i) => ys[i] > bottom - 2).map((e) => e.textContent ?? '');
      });
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect(t).toMatch(/^\d+$/);
  });

  it('shows the real storage figure after a reload', async () => {
    await page.reload();
    const badge = page.getByTestId('storage-badge');
    await expect.poll(async () => (await badge.locator('strong').count()) > 0, { timeout: 60_000 }).toBe(true);
    const figures = async () => {
      const estimate = await page.evaluate(() => navigator.storage.estimate());
      return { badge: await badge.locator('strong').textContent(), estimate: formatBytes(estimate.usage ?? 0) };
    };
    await expect
      .poll(
        async () => {
          const f = await figures();
          return f.badge === f.estimate ? 'same' : `${f.badge} vs ${f.estimate}`;
        },
        { timeout: 30_000 },
      )
      .toBe('same');
    expect(await badge.locator('strong').textContent()).not.toBe('0 B');
  });

  it("scrolls sideways on no page with two runs, Compare's wide table included", async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(2);
    for (const box of await page.getByRole('checkbox', { name: /^Compare run/ }).all()) await box.check();
    await page.getByRole('tab', { name: 'Compare' }).click();
    await expect.poll(() => page.getByTestId('compare-table').getByTestId('compare-row').count(), { timeout: 60_000 }).toBe(2);
    const wrap = page.getByTestId('compare-table').locator('xpath=..');
    // The table is wider than its box and scrolls inside it.
    expect(await wrap.evaluate((el) => getComputedStyle(el).overflowX)).toBe('auto');
    // Or the user narrows it: the column chooser hides a column.
    const headers = page.getByTestId('compare-table').locator('thead th');
    const before = await headers.count();
    const chooser = page.getByTestId('compare-columns');
    await chooser.locator('summary').click();
    await chooser.getByRole('checkbox', { name: 'Latency p95' }).uncheck();
    expect(await headers.count()).toBe(before - 1);
    expect(await chooser.locator('summary').textContent()).toMatch(/^Columns \(\d+ of \d+ shown\)$/);
    for (const tab of TABS) {
      await page.getByRole('tab', { name: tab }).click();
      await noSidewaysScroll(page, `the ${tab} page with runs`);
    }
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: /^Open run quickstart-nb/ }).click();
    expect(await page.getByRole('button', { name: /^Close run quickstart-nb/ }).count()).toBe(1);
    await page.getByTestId('run-single-pass').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-chart-loss').count()).toBe(0);
    await noSidewaysScroll(page, 'an open run');
    expect(errors).toEqual([]);
  });
});
