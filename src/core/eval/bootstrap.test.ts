import { describe, expect, it } from 'vitest';
import { Rng } from '../util/random';
import { accuracyCI, bootstrapCI, bootstrapCIs, headlineCIs, pairedBootstrap } from './bootstrap';
import { expectedCalibrationError } from './calibration';
import { accuracy, argmax, logLoss, macroF1 } from './metrics';

/** A noisy 4-class model: right about 80% of the time, with matching confidence. */
function fakeModel(n: number, seed: number, hit = 0.8) {
  const rng = new Rng(seed);
  const labels: number[] = [];
  const probs: number[][] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.int(4);
    const pred = rng.next() < hit ? y : (y + 1 + rng.int(3)) % 4;
    const conf = 0.5 + 0.4 * rng.next();
    const row = [0, 1, 2, 3].map((k) => (k === pred ? conf : (1 - conf) / 3));
    labels.push(y);
    probs.push(row);
  }
  return { labels, probs, pred: probs.map(argmax) };
}

describe('bootstrap CI', () => {
  it('brackets the accuracy, narrows with n, and is reproducible for a seed', () => {
    const small = Array.from({ length: 100 }, (_, i) => (i % 10 < 8 ? 1 : 0));
    const big = Array.from({ length: 10000 }, (_, i) => (i % 10 < 8 ? 1 : 0));
    const [lo, hi] = accuracyCI(small, { seed: 7 });
    expect(lo).toBeLessThan(0.8);
    expect(hi).toBeGreaterThan(0.8);
    // Normal approximation: half-width ~ 1.96 * sqrt(0.16 / 100) = 0.078
    expect(hi - lo).toBeGreaterThan(0.12);
    expect(hi - lo).toBeLessThan(0.19);
    const [blo, bhi] = accuracyCI(big, { seed: 7 });
    expect(bhi - blo).toBeLessThan(0.02);
    expect(accuracyCI(small, { seed: 7 })).toEqual([lo, hi]);
  });

  it('several statistics share the resamples: each interval equals its single-statistic run', () => {
    const v = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const mean = (idx: Int32Array) => idx.reduce((a, i) => a + v[i], 0) / idx.length;
    const max = (idx: Int32Array) => idx.reduce((a, i) => Math.max(a, v[i]), -Infinity);
    const both = bootstrapCIs(v.length, { mean, max }, { seed: 3, resamples: 200 });
    expect(both.mean).toEqual(bootstrapCI(v.length, mean, { seed: 3, resamples: 200 }));
    expect(both.max).toEqual(bootstrapCI(v.length, max, { seed: 3, resamples: 200 }));
  });

  it('headline CIs bracket each estimate and are reproducible on a fixed seed', () => {
    const { labels, probs, pred } = fakeModel(400, 11);
    const cis = headlineCIs(labels, probs, 4, { seed: 5, resamples: 300 });
    const estimates = { accuracy: accuracy(labels, pred), macroF1: macroF1(labels, pred, 4), ece: expectedCalibrationError(probs, labels), logLoss: logLoss(labels, probs) };
    for (const key of ['accuracy', 'macroF1', 'logLoss'] as const) {
      expect(cis[key][0], key).toBeLessThanOrEqual(estimates[key]);
      expect(cis[key][1], key).toBeGreaterThanOrEqual(estimates[key]);
    }
    // ECE is biased upwards under resampling (it is an absolute value), so only check it is sane.
    expect(cis.ece[0]).toBeGreaterThanOrEqual(0);
    expect(cis.ece[1]).toBeGreaterThan(cis.ece[0]);
    expect(headlineCIs(labels, probs, 4, { seed: 5, resamples: 300 })).toEqual(cis);
    expect(cis.accuracy).toEqual(
      accuracyCI(
        pred.map((p, i) => (p === labels[i] ? 1 : 0)),
        { seed: 5, resamples: 300 },
      ),
    );
  });
});

describe('paired bootstrap', () => {
  it('identical models: delta 0, CI [0, 0], p = 1', () => {
    const { labels, pred } = fakeModel(200, 2);
    const r = pairedBootstrap(labels, pred, pred, 4, { seed: 1, resamples: 200 });
    expect(r).toMatchObject({ delta: 0, ci: [0, 0], pValue: 1, metric: 'accuracy' });
  });

  it('a clearly better model: CI excludes 0, small p, reproducible', () => {
    const a = fakeModel(500, 9, 0.9);
    const rng = new Rng(4);
    // B = A with 15% of A's answers replaced by a wrong class.
    const predB = a.pred.map((p, i) => (rng.next() < 0.15 ? (a.labels[i] + 1) % 4 : p));
    for (const metric of ['accuracy', 'macroF1'] as const) {
      const r = pairedBootstrap(a.labels, a.pred, predB, 4, { seed: 3, resamples: 500, metric });
      expect(r.delta).toBeGreaterThan(0.05);
      expect(r.ci[0]).toBeGreaterThan(0);
      expect(r.ci[0]).toBeLessThanOrEqual(r.delta);
      expect(r.ci[1]).toBeGreaterThanOrEqual(r.delta);
      expect(r.pValue).toBeLessThan(0.01);
      expect(r.pValue).toBeGreaterThan(0);
      expect(pairedBootstrap(a.labels, a.pred, predB, 4, { seed: 3, resamples: 500, metric })).toEqual(r);
    }
    expect(() => pairedBootstrap(a.labels, a.pred, predB.slice(1), 4)).toThrow(RangeError);
  });
});
