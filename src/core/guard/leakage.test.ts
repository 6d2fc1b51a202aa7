import { describe, expect, it } from 'vitest';
import { InputError } from '../util/errors';
import { Rng } from '../util/random';
import { detectLeakage, formatLeakage, leakageWarnings } from './leakage';
import type { LeakText } from './leakage';
import { jaccard, shingleSets } from './minhash';

/** A seeded pseudo-sentence of n words from a 5,000-word vocabulary: unrelated texts share ~no shingles. */
function sentence(rng: Rng, n: number): string {
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(`w${rng.int(5000)}`);
  return words.join(' ');
}

const mk = (prefix: string, texts: string[]): LeakText[] => texts.map((text, k) => ({ id: `${prefix}:${k}`, text }));
const byPair = (r: ReturnType<typeof detectLeakage>, pair: string) => r.pairs.find((p) => p.pair === pair)!;

describe('leakage detector', () => {
  const rng = new Rng(7);
  const base = Array.from({ length: 200 }, () => sentence(rng, 40));

  it('finds exact duplicates after normalisation, per split pair', () => {
    const train = mk('train', base.slice(0, 100));
    const validation = mk('validation', [base[100], base[101], `${base[3].toUpperCase()}!!`]);
    const test = mk('test', [base[150], `  ${base[5]}.`, base[5], base[101]]);
    const r = detectLeakage({ train, validation, test });
    expect(byPair(r, 'train-validation')).toEqual({ pair: 'train-validation', exact: 1, near: 0, affected: 1 });
    expect(byPair(r, 'train-test')).toEqual({ pair: 'train-test', exact: 2, near: 0, affected: 2 });
    expect(byPair(r, 'validation-test')).toEqual({ pair: 'validation-test', exact: 1, near: 0, affected: 1 });
    expect(leakageWarnings(r)).toEqual([
      'leakage: 1 validation example has a copy in train (1 exact, 0 near pairs): validation scores will read optimistic by about that share',
      'leakage: 2 test examples have a copy in train (2 exact, 0 near pairs): test scores will read optimistic by about that share',
      'leakage: 1 test example has a copy in validation (1 exact, 0 near pairs): test scores will read optimistic by about that share',
    ]);
    expect(leakageWarnings(detectLeakage({ train: mk('train', base.slice(0, 10)), test: mk('test', base.slice(10, 20)) }))).toEqual([]);
    const ex = r.examples.find((e) => e.pair === 'train-validation')!;
    expect(ex).toMatchObject({ kind: 'exact', similarity: 1, a: { id: 'train:3' }, b: { id: 'validation:2' } });
  });

  it('finds near duplicates above the threshold, and not below it', () => {
    const words = (s: string) => s.split(' ');
    const oneSwap = (s: string) => {
      const w = words(s);
      w[20] = 'replaced';
      return w.join(' '); // 3 of 38 shingles change: Jaccard 35/41 = 0.85
    };
    const appended = (s: string) => `${s} reuters`; // Jaccard 38/39
    const heavy = (s: string) =>
      words(s)
        .map((w, k) => (k % 4 === 0 ? 'x' : w))
        .join(' '); // far below 0.8
    const train = mk('train', base.slice(0, 100));
    const test = mk('test', [oneSwap(base[10]), appended(base[11]), heavy(base[12]), base[150]]);
    const r = detectLeakage({ train, test });
    expect(byPair(r, 'train-test')).toEqual({ pair: 'train-test', exact: 0, near: 2, affected: 2 });
    const near = r.examples.filter((e) => e.kind === 'near');
    expect(near.map((e) => [e.a.id, e.b.id])).toEqual([
      ['train:11', 'test:1'],
      ['train:10', 'test:0'],
    ]);
    expect(near[0].similarity).toBeCloseTo(38 / 39);
    expect(near[1].similarity).toBeCloseTo(35 / 41);
    // A lower threshold admits the one-swap copy only once it is below 35/41: check the boundary.
    expect(byPair(detectLeakage({ train, test }, { threshold: 0.86 }), 'train-test').near).toBe(1);
  });

  it('counts pairs with multiplicity and ignores same-split copies', () => {
    const train = mk('train', [base[0], base[0], base[1], `${base[1]} extra`]);
    const test = mk('test', [base[0], base[0], base[2]]);
    const r = detectLeakage({ train, test });
    expect(byPair(r, 'train-test')).toMatchObject({ exact: 4, near: 0, affected: 2 });
    expect(byPair(r, 'train-validation')).toMatchObject({ exact: 0, near: 0, affected: 0 });
  });

  it('is deterministic for a seed and validates options', () => {
    const train = mk('train', base.slice(0, 50));
    const test = mk(
      'test',
      base.slice(40, 60).map((s) => `${s} tail`),
    );
    const a = detectLeakage({ train, test }, { seed: 3 });
    expect(detectLeakage({ train, test }, { seed: 3 })).toEqual(a);
    expect(byPair(a, 'train-test').near).toBe(10);
    expect(() => detectLeakage({ train, test }, { bands: 7 })).toThrow(InputError);
    expect(() => detectLeakage({ train, test }, { threshold: 0 })).toThrow(InputError);
    expect(formatLeakage(a)).toContain('train-test: 0 exact, 10 near pairs; 10 test examples affected');
  });

  it('computes exact Jaccard of shingle sets, short texts included', () => {
    const s = shingleSets(['a b c d', 'a b c e', 'hi', 'hi', ''], 3);
    expect(jaccard(s, 0, 1)).toBeCloseTo(1 / 3);
    expect(jaccard(s, 2, 3)).toBe(1);
    expect(jaccard(s, 0, 4)).toBe(0);
  });

  it('runs on 120k + 7.6k texts in a few seconds', () => {
    const r2 = new Rng(11);
    const train = Array.from({ length: 120_000 }, (_, k) => ({ id: `train:${k}`, text: sentence(r2, 30 + (k % 20)) }));
    const test = Array.from({ length: 7_600 }, (_, k) => ({
      id: `test:${k}`,
      // Every 100th test text is a near copy of a train text.
      text: k % 100 === 0 ? `${train[k * 7].text} ap` : sentence(r2, 30 + (k % 20)),
    }));
    const t0 = performance.now();
    const r = detectLeakage({ train, test });
    const ms = performance.now() - t0;
    console.log(`leakage on 120,000 + 7,600 synthetic texts: ${ms.toFixed(0)} ms, ${r.candidates} candidates`);
    expect(byPair(r, 'train-test')).toMatchObject({ exact: 0, near: 76, affected: 76 });
    expect(ms).toBeLessThan(15_000);
  }, 60_000);
});
