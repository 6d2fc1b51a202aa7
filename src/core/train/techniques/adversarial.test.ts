import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adversarialGradients, ascentStep, fgmPerturbation, projectToBall, type PerturbedGrads } from './adversarial';
import { adversarialSchema } from './config';

const arr = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('perturbations', () => {
  it("FGM's perturbation is epsilon * g / ||g|| over the whole batch", () => {
    const g = tf.tensor3d([[[3, 0]], [[0, 4]]]);
    expect(arr(fgmPerturbation(g, 2))).toEqual([1.2, 0, 0, 1.6].map((x) => expect.closeTo(x, 6)));
    g.dispose();
  });

  it('projection keeps each example in its epsilon ball and leaves rows inside it alone', () => {
    const d = tf.tensor3d([[[3, 4]], [[0.3, 0.4]]]);
    const p = arr(projectToBall(d, 1));
    expect(p).toEqual([0.6, 0.8, 0.3, 0.4].map((x) => expect.closeTo(x, 6)));
    d.dispose();
  });

  it('PGD ascent steps stay in the ball however many and however large', () => {
    let delta: tf.Tensor = tf.zeros([3, 4, 2]);
    for (let s = 0; s < 6; s++) {
      const g = tf.randomNormal([3, 4, 2], 0, 1, 'float32', s + 1);
      const next = ascentStep(delta, g, 0.7, 1.5);
      tf.dispose([g, delta]);
      delta = next;
    }
    const rows = delta.arraySync() as number[][][];
    delta.dispose();
    for (const r of rows) expect(norm(r.flat())).toBeLessThanOrEqual(1.5 + 1e-5);
    // Six steps of 0.7 along random directions reach the boundary.
    expect(Math.max(...rows.map((r) => norm(r.flat())))).toBeGreaterThan(1.4);
  });
});

/**
 * A toy model with one parameter vector w [2] and an input x [1, 1, 2]: loss = (w · (x + delta))².
 * Its gradients are known in closed form: d/dw = 2 s (x + delta), d/ddelta = 2 s w, s = w · (x + delta).
 */
const W = [0.5, -1];
const X = [1, 2];
function toy(calls: number[][]): (delta: tf.Tensor, params: boolean) => PerturbedGrads {
  return (delta, params) => {
    const d = Array.from(delta.dataSync());
    calls.push(d);
    const x = [X[0] + d[0], X[1] + d[1]];
    const s = W[0] * x[0] + W[1] * x[1];
    return { value: tf.scalar(s * s), params: params ? [tf.tensor1d([2 * s * x[0], 2 * s * x[1]])] : [], delta: tf.tensor3d([[[2 * s * W[0], 2 * s * W[1]]]]) };
  };
}
const dw = (d: number[]) => {
  const x = [X[0] + d[0], X[1] + d[1]];
  const s = W[0] * x[0] + W[1] * x[1];
  return [2 * s * x[0], 2 * s * x[1]];
};

describe('adversarial gradients', () => {
  const run = (cfg: object) => {
    const calls: number[][] = [];
    const before = tf.memory().numTensors;
    const out = adversarialGradients(adversarialSchema.parse(cfg), [1, 1, 2], toy(calls));
    const value = arr(out.value)[0];
    const grad = arr(out.params[0]);
    expect(tf.memory().numTensors).toBe(before);
    return { calls, value, grad };
  };

  it('FGM: clean gradient + the gradient at r = epsilon * g / ||g||', () => {
    const { calls, value, grad } = run({ method: 'fgm', epsilon: 0.5 });
    // s = -1.5 at delta 0; g_delta = 2 s w = [-1.5, 3]; r = 0.5 * g / |g|
    const gn = Math.hypot(-1.5, 3);
    const r = [(0.5 * -1.5) / gn, (0.5 * 3) / gn];
    expect(calls).toHaveLength(2);
    calls[1].forEach((v, i) => expect(v).toBeCloseTo(r[i], 5));
    expect(value).toBeCloseTo(2.25, 5);
    const expected = dw([0, 0]).map((g, i) => g + dw(r)[i]);
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 4));
  });

  it('PGD: K ascent steps inside the ball, then clean + adversarial gradients', () => {
    const { calls, grad } = run({ method: 'pgd', epsilon: 0.4, alpha: 0.3, steps: 3 });
    expect(calls).toHaveLength(4); // clean, two more ascent steps, the final adversarial pass
    for (const c of calls) expect(norm(c)).toBeLessThanOrEqual(0.4 + 1e-5);
    // The loss's gradient in delta always points along w's sign pattern, so the steps add up to the boundary.
    expect(norm(calls[3])).toBeCloseTo(0.4, 4);
    const expected = dw([0, 0]).map((g, i) => g + dw(calls[3])[i]);
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 4));
  });

  it('FreeLB: the parameter gradients of every ascent step, averaged', () => {
    const { calls, grad } = run({ method: 'freelb', epsilon: 1, alpha: 0.2, steps: 3 });
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual([0, 0]);
    // Each step moves by alpha along the normalised gradient [-1, 2]/sqrt(5).
    const u = [-1 / Math.sqrt(5), 2 / Math.sqrt(5)];
    calls[2].forEach((v, i) => expect(v).toBeCloseTo(0.4 * u[i], 4));
    const expected = [0, 1].map((i) => calls.reduce((s, c) => s + dw(c)[i], 0) / 3);
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 4));
  });
});
