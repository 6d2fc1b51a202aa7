import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random';
import { blendScores, chooseBlendWeight, pairWeights, placeBlocks } from './blend';
import { createClassical, loadClassical } from './spec';
import { TOY_CLASSES, argmax, toyExamples } from './fixtures';
import type { LinearModel } from './linear';

const lin = (W: number[], b: number[]): LinearModel => ({ nFeatures: W.length / b.length, nClasses: b.length, W: Float32Array.from(W), b: Float32Array.from(b) });

describe('blend of per-block models', () => {
  it('places weighted parts at their column offsets', () => {
    // Two classes; part A covers columns 0-1, part B column 2.
    const m = placeBlocks([lin([1, 2, 3, 4], [1, 0]), lin([10, 20], [0, 10])], pairWeights(0.25), [0, 2], 3);
    expect(Array.from(m.W)).toEqual([0.25, 0.5, 0.75, 1, 7.5, 15]);
    expect(Array.from(m.b)).toEqual([0.25, 7.5]);
    const one = lin([1, 2], [3, 4]);
    expect(placeBlocks([one], [1], [0], 1)).toBe(one);
    expect(() => placeBlocks([lin([1, 2, 3, 4], [0, 0])], [1], [1], 2)).toThrow(/fit/);
  });

  it('blends scores linearly', () => {
    expect(Array.from(blendScores([Float64Array.from([1, 2]), Float64Array.from([3, 6])], pairWeights(0.5)))).toEqual([2, 4]);
  });

  it('gives the weight to the part whose scores carry the labels', () => {
    const rng = new Rng(3);
    const n = 2000;
    const K = 3;
    const y = Int32Array.from({ length: n }, () => rng.int(K));
    const informative = new Float64Array(n * K);
    const noise = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        informative[i * K + k] = rng.normal() + (k === y[i] ? 2 : 0);
        noise[i * K + k] = rng.normal();
      }
    }
    expect(chooseBlendWeight([informative, noise], y, K, 'sigmoid')).toBeGreaterThan(0.85);
    expect(chooseBlendWeight([noise, informative], y, K, 'sigmoid')).toBeLessThan(0.15);
    // Two equally useful, independent parts share the weight.
    const other = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) other[i * K + k] = rng.normal() + (k === y[i] ? 2 : 0);
    const a = chooseBlendWeight([informative, other], y, K, 'sigmoid');
    expect(a).toBeGreaterThan(0.3);
    expect(a).toBeLessThan(0.7);
  });
});

describe('tfidf-svm with a word/char blend', () => {
  const train = toyExamples(12);
  const ctx = { classes: TOY_CLASSES, seed: 7 };
  const probes = ['the striker scored a goal in the cup match', 'shares fell as investors sold stock', 'new google browser for linux computer'];
  const params = { C: 1, nbAlpha: 0.1, blend: { charC: 0.5, weight: null }, calibration: { method: 'sigmoid', cv: 2, ensemble: false } };

  it('learns the toy topics, picks a weight and round-trips through save/load', async () => {
    const e = createClassical('tfidf-svm', params);
    await e.fit(train, ctx);
    expect(e.blendWeight).not.toBeNull();
    expect(e.blendWeight!).toBeGreaterThanOrEqual(0);
    expect(e.blendWeight!).toBeLessThanOrEqual(1);
    expect((await e.predictProba(probes)).map(argmax)).toEqual([0, 1, 2]);
    const a = await e.save();
    const f = loadClassical({ kind: a.kind, meta: JSON.parse(JSON.stringify(a.meta)), tensors: structuredClone(a.tensors) });
    const texts = [...probes, 'unseen words entirely', ''];
    expect(await f.predictProba(texts)).toEqual(await e.predictProba(texts));
    // The text-by-text path and the matrix path agree exactly.
    expect(e.probaOf(e.transform(texts))).toEqual(await e.predictProba(texts));
  });

  it('a fixed weight of 1 ignores the char block; 0 ignores the word block', async () => {
    for (const weight of [1, 0]) {
      const e = createClassical('tfidf-svm', { ...params, blend: { charC: 0.5, weight } });
      await e.fit(train, ctx);
      expect(e.blendWeight).toBe(weight);
      const W = e.members[0].model.W;
      const K = TOY_CLASSES.length;
      const [word, char] = e.vectorizer.blocks();
      const dead = weight === 1 ? char : word;
      const live = weight === 1 ? word : char;
      expect(W.subarray(dead.from * K, dead.to * K).every((x) => x === 0)).toBe(true);
      expect(W.subarray(live.from * K, live.to * K).some((x) => x !== 0)).toBe(true);
    }
  });

  it('is deterministic for a fixed seed', async () => {
    const a = createClassical('tfidf-svm', params);
    const b = createClassical('tfidf-svm', params);
    await a.fit(train, ctx);
    await b.fit(train, ctx);
    expect(await a.predictProba(probes)).toEqual(await b.predictProba(probes));
  });
});
