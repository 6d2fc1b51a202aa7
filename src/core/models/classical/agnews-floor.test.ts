/**
 * Accuracy floors on a slice of the real AG News files (4,000 train rows -> 1,000 test rows),
 * skipped when the shared data directory is absent. Floors sit ~1.5 points under measured
 * values (word 1-2 features for speed), so they catch regressions in features or solvers without flaking.
 */
// Tests run under Node; reading the shared fixture file is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAgNewsCsv } from '../../text/agnews-csv';
import type { ClassicalKind } from './config';
import { createClassical } from './spec';
import { argmax } from './fixtures';

const dir = '../shared/data/ag_news';
const present = existsSync(`${dir}/train.csv`) && existsSync(`${dir}/test.csv`);
// Absent data must be loud: a skip with its reason in the suite's name here, a failure under CI.
if (!present && process.env.CI) throw new Error(`the AG News accuracy floors need ${dir}, which is absent under CI`);
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];

// Word 1-2 features keep the four fits within a few seconds.
const vectorizer = { word: { maxFeatures: null }, char: null };
// Measured on this slice: nb 0.869, logreg 0.857, svm 0.880, sgd 0.850.
const floors: [ClassicalKind, Record<string, unknown>, number][] = [
  ['tfidf-nb', { vectorizer }, 0.855],
  ['tfidf-logreg', { vectorizer, maxIter: 40 }, 0.84],
  ['tfidf-svm', { vectorizer, nbAlpha: 0.1 }, 0.865],
  ['tfidf-sgd', { vectorizer }, 0.835],
];

describe.skipIf(!present)('AG News slice accuracy floors (skipped: ../shared/data/ag_news absent)', () => {
  const train = present ? parseAgNewsCsv(readFileSync(`${dir}/train.csv`, 'utf8'), 4000).map((r, i) => ({ id: `train:${i}`, ...r })) : [];
  const test = present ? parseAgNewsCsv(readFileSync(`${dir}/test.csv`, 'utf8'), 1000) : [];
  it.each(floors)('%s reaches its floor', async (kind, params, floor) => {
    const e = createClassical(kind, params);
    await e.fit(train, { classes, seed: 1 });
    const P = await e.predictProba(test.map((r) => r.text));
    const acc = P.filter((p, i) => argmax(p) === test[i].label).length / test.length;
    expect(acc).toBeGreaterThanOrEqual(floor);
  });
});

/**
 * The word/char blend on a split of train.csv alone (rows 0-3,999 fit, 4,000-4,999 scored), so
 * that choosing and checking it never reads test.csv. It must beat the word-only NB-SVM it
 * extends on the same rows (measured: word-only 0.883, blend 0.887; the floor sits 1.2 under).
 */
describe.skipIf(!present)('word/char blended SVM on a train.csv split', () => {
  const rows = present ? parseAgNewsCsv(readFileSync(`${dir}/train.csv`, 'utf8'), 5000).map((r, i) => ({ id: `train:${i}`, ...r })) : [];
  const fit = rows.slice(0, 4000);
  const held = rows.slice(4000);
  const accuracy = async (params: Record<string, unknown>): Promise<number> => {
    const e = createClassical('tfidf-svm', params);
    await e.fit(fit, { classes, seed: 1 });
    const P = await e.predictProba(held.map((r) => r.text));
    return P.filter((p, i) => argmax(p) === held[i].label).length / held.length;
  };
  it('beats the word-only NB-SVM', async () => {
    const calibration = { method: 'sigmoid', cv: 2, ensemble: false };
    const word = await accuracy({ vectorizer, nbAlpha: 0.1, calibration });
    const blend = await accuracy({
      vectorizer: { word: { maxFeatures: null }, char: { ngramMin: 4, ngramMax: 4, maxFeatures: null } },
      nbAlpha: 0.1,
      blend: { charC: 0.25 },
      calibration,
    });
    expect(blend).toBeGreaterThanOrEqual(0.875);
    expect(blend).toBeGreaterThan(word);
  });
  // The presets keep the feed markup (`clean: false`), chosen by 5-fold CV on train.csv
  // (+0.26 points for the blend). Measured here on the word-only NB-SVM: cleaned 0.882, kept 0.888.
  it('keeping the feed markup beats cleaning it', async () => {
    const word = (clean: boolean): Record<string, unknown> => ({ vectorizer: { ...vectorizer, clean }, nbAlpha: 0.1, calibration: { method: 'none' } });
    expect(await accuracy(word(false))).toBeGreaterThan(await accuracy(word(true)));
  });
});
