/** Shared pieces of the e2e suites: a fresh browser profile per test file and data slices. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from '../src/platform/node/chromium';

export const AG_NEWS = '../shared/data/ag_news';

/** A small AG News folder: the first rows of the shared train and test files. */
export function agNewsSlice(trainRows: number, testRows: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'agnews-slice-'));
  const head = (name: string, n: number) => readFileSync(join(AG_NEWS, name), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
  writeFileSync(join(dir, 'train.csv'), head('train.csv', trainRows));
  writeFileSync(join(dir, 'test.csv'), head('test.csv', testRows));
  writeFileSync(join(dir, 'classes.txt'), readFileSync(join(AG_NEWS, 'classes.txt')));
  return ['train.csv', 'test.csv', 'classes.txt'].map((n) => join(dir, n));
}

export function writeTemp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agnews-file-'));
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export async function openApp(): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(inject('appUrl') + '/');
  await page.getByRole('tab', { name: 'Data' }).waitFor();
  return { browser, page, errors };
}

export async function importAgNews(page: Page, files: string[]): Promise<void> {
  await page.getByRole('tab', { name: 'Data' }).click();
  const before = await page.getByTestId('dataset-row').count();
  await page.getByLabel('Dataset files').setInputFiles(files);
  await page.getByTestId('dataset-row').nth(before).waitFor({ timeout: 60_000 });
}

/**
 * Waits until the Train page shows the result of a run of `model`, or its error; an error
 * fails the test with the page's own message. Returns the result card.
 */
export async function waitForResult(page: Page, model: string, what: string, timeout: number): Promise<Locator> {
  const done = page.getByTestId('train-result').filter({ hasText: model });
  const failed = page.getByTestId('train-error');
  await done.or(failed).first().waitFor({ timeout });
  if (await failed.count()) throw new Error(`${what} failed: ${await failed.textContent()}`);
  return done;
}

/** Keys the app has written to its IndexedDB database (read through the page). */
export function idbKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('agnews-lab');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('files')) return resolve([]);
          const all = db.transaction('files').objectStore('files').getAllKeys();
          all.onsuccess = () => resolve(all.result.map(String));
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Starts a preset on the Train page and waits for its result; a failure shows its error text in the test. */
export async function trainPreset(page: Page, preset: string, model: string, timeout = 240_000): Promise<void> {
  await page.getByRole('tab', { name: 'Train' }).click();
  // The preset list itself (the Train page also has a "Preset" source radio).
  await page.getByRole('combobox', { name: 'Preset' }).selectOption(preset);
  await page.getByTestId('start-train').click();
  await waitForResult(page, model, `training ${preset}`, timeout);
}
