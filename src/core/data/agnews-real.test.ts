/* eslint-disable no-restricted-imports */
/**
 * Imports the real AG News sample in ../shared/data/ag_news (outside the repo; never copied
 * into it). Skipped, with the reason, where that folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from './import';

const DIR = resolve(process.cwd(), '../shared/data/ag_news');
const present = existsSync(resolve(DIR, 'train.csv')) && existsSync(resolve(DIR, 'classes.txt'));
if (!present && process.env.CI) throw new Error(`the real AG News import test needs ${DIR}, which is absent under CI`);
if (!present) console.warn(`Skipping the real AG News import test: ${DIR} is absent (it lives in the shared folder beside the repo).`);

describe.skipIf(!present)('real AG News sample (../shared/data/ag_news)', () => {
  // Import speed is measured by the benchmarks, not asserted here: a loaded machine is no bug.
  it('imports 32,283 train and 7,600 test rows, 4 classes, no errors', async () => {
    const files = ['classes.txt', 'train.csv', 'test.csv'].map((name) => ({ name, bytes: new Uint8Array(readFileSync(resolve(DIR, name))) }));
    const d = await importDataset({ kind: 'agnews', files });
    const r = d.meta.report;
    expect(r.errorCount).toBe(0);
    expect(d.meta.classes).toEqual(['World', 'Sports', 'Business', 'Sci/Tech']);
    expect(r.files.map((f) => [f.name, f.rows])).toEqual([
      ['classes.txt', 4],
      ['train.csv', 32_283],
      ['test.csv', 7_600],
    ]);
    expect(d.meta.sizes.test).toBe(7_600);
    expect(r.classCounts.test).toEqual([1_900, 1_900, 1_900, 1_900]);
    expect(d.meta.sizes.train + d.meta.sizes.validation).toBe(32_283 - r.duplicateRows - r.trainTestOverlap);
    expect(d.meta.sizes.validation).toBeGreaterThan(3_000);
    expect(r.emptyTexts).toBe(0);
    expect(d.meta.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
