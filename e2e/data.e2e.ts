import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agNewsSlice, idbKeys, importAgNews, openApp, writeTemp } from './helpers';

describe('Data page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => ({ browser, page, errors } = await openApp()));
  afterAll(async () => browser?.close());

  it('imports a slice of AG News and shows sizes, fingerprint and class balance', async () => {
    await importAgNews(page, agNewsSlice(400, 100));
    const row = page.getByTestId('dataset-row').first();
    await expect.poll(() => row.getByTestId('dataset-sizes').textContent()).toMatch(/360.*40.*100/s);
    expect(await row.getByTestId('dataset-fingerprint').textContent()).toMatch(/[0-9a-f]{8}/);
    expect(await row.getByTestId('class-balance').locator('svg').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('refuses a malformed CSV with a clear error and stores nothing', async () => {
    const keysBefore = await idbKeys(page);
    const rowsBefore = await page.getByTestId('dataset-row').count();
    const bad = writeTemp('train.csv', '"1","ok title","ok text"\n"9","bad label","row two"\n"2","unterminated,"quote\n');
    const classes = writeTemp('classes.txt', 'World\nSports\nBusiness\nSci/Tech\n');
    await page.getByLabel('Dataset files').setInputFiles([bad, classes]);
    const alert = page.getByTestId('import-error');
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toMatch(/train\.csv line 2: label "9" is not one of 1\.\.4/);
    expect(text).toMatch(/line 3: unexpected text after a closing quote/);
    expect(await page.getByTestId('dataset-row').count()).toBe(rowsBefore);
    expect(await idbKeys(page)).toEqual(keysBefore);
  });
});
