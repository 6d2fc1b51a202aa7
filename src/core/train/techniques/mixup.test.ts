import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random';
import { mixPlan, mixRows, sampleBeta, sampleGamma } from './mixup';

describe('mixup', () => {
  it('mixes rows and labels alike with a fixed lambda', () => {
    const plan = { lambda: 0.75, partner: Int32Array.from([2, 0, 1]) };
    const x = tf.tensor2d([
      [1, 0],
      [0, 2],
      [4, 4],
    ]);
    expect(mixRows(x, plan).arraySync()).toEqual([
      [1.75, 1],
      [0.25, 1.5],
      [3, 3.5],
    ]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 3).toFloat();
    expect(mixRows(y, plan).arraySync()).toEqual([
      [0.75, 0, 0.25],
      [0.25, 0.75, 0],
      [0, 0.25, 0.75],
    ]);
    tf.dispose([x, y]);
  });

  it('draws the same plan from the same seed; the partners are a permutation', () => {
    const a = mixPlan(17, 8, 0.2);
    expect(mixPlan(17, 8, 0.2)).toEqual(a);
    expect([...a.partner].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(mixPlan(18, 8, 0.2).lambda).not.toBe(a.lambda);
  });

  it("Beta(a, a) and Gamma samples have the distributions' moments", () => {
    for (const a of [0.2, 1, 3]) {
      const rng = new Rng(a * 1000);
      const xs = Array.from({ length: 20000 }, () => sampleBeta(rng, a));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
      expect(Math.abs(variance - 1 / (4 * (2 * a + 1)))).toBeLessThan(0.01);
      expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    }
    const rng = new Rng(5);
    const g = Array.from({ length: 20000 }, () => sampleGamma(rng, 2.5));
    expect(g.reduce((s, x) => s + x, 0) / g.length).toBeCloseTo(2.5, 1);
  });
});
