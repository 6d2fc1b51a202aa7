/* eslint-disable no-restricted-imports */
/**
 * The leakage detector on the real AG News sample in ../shared/data/ag_news (outside the repo;
 * never copied into it). Skipped, with the reason, where that folder is absent. The shared
 * train.csv was de-duplicated against test.csv before it was shipped, and the import drops
 * exact train/test overlap too, so exact cross-split copies should be absent; near copies
 * (same story, slightly different wording) are what this reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../data/import';
import { detectLeakage, formatLeakage } from './leakage';

const DIR = resolve(process.cwd(), '../shared/data/ag_news');
const present = existsSync(resolve(DIR, 'train.csv')) && existsSync(resolve(DIR, 'test.csv')) && existsSync(resolve(DIR, 'classes.txt'));
if (!present && process.env.CI) throw new Error(`the real AG News leakage test needs ${DIR}, which is absent under CI`);
if (!present) console.warn(`Skipping the real AG News leakage test: ${DIR} is absent (it lives in the shared folder beside the repo).`);

describe.skipIf(!present)('leakage on the real AG News sample', () => {
  it('reports exact and near duplicates across train/validation/test', async () => {
    const files = ['classes.txt', 'train.csv', 'test.csv'].map((name) => ({ name, bytes: new Uint8Array(readFileSync(resolve(DIR, name))) }));
    const d = await importDataset({ kind: 'agnews', files });
    // Timed for the log only: speed belongs in benchmarks, and a loaded machine is no bug.
    const t0 = performance.now();
    const r = detectLeakage({ train: d.train, validation: d.validation, test: d.test }, { maxExamples: 3 });
    const ms = performance.now() - t0;
    console.log(
      `${formatLeakage(r)}\n  (${ms.toFixed(0)} ms, ${r.candidates} candidate pairs, ${r.skippedBuckets} skipped buckets; ` +
        `import dropped ${d.meta.report.trainTestOverlap} train rows overlapping test and ${d.meta.report.duplicateRows} duplicate train rows)`,
    );
    for (const e of r.examples.filter((x) => x.kind === 'near').slice(0, 6)) {
      console.log(`  ${e.pair} ${e.similarity.toFixed(3)}: ${e.a.id} "${e.a.text.slice(0, 90)}" | ${e.b.id} "${e.b.text.slice(0, 90)}"`);
    }
    const pair = (p: string) => r.pairs.find((x) => x.pair === p)!;
    // The import removed exact train/test overlap, so none may remain in train or validation.
    expect(pair('train-test').exact).toBe(0);
    expect(pair('validation-test').exact).toBe(0);
    for (const e of r.examples) expect(e.similarity).toBeGreaterThanOrEqual(0.8);
    expect(r.sizes).toEqual({ train: d.meta.sizes.train, validation: d.meta.sizes.validation, test: 7_600 });
  }, 60_000);
});
