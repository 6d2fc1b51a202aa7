import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { distillLoss, softenProbabilities, softTargetGradient, type DistillSettings } from './distill-loss';

/** Loss of one example through the tensor version. */
function tensorLoss(z: number[], y: number, q: number[], s: DistillSettings): number {
  return tf.tidy(() => distillLoss(tf.tensor2d([z]), tf.tensor1d([y], 'int32'), tf.tensor2d([q]), s).arraySync() as number);
}

function plain(z: number[], y: number, q: number[], s: DistillSettings): { loss: number; grad: number[] } {
  const grad = new Float64Array(z.length);
  const loss = softTargetGradient(z, y, softenProbabilities(q, s.temperature), s, grad);
  return { loss, grad: Array.from(grad) };
}

describe('distillation loss', () => {
  it('matches a hand-computed value and gradient', () => {
    // z = [0, ln 3]: p = [1/4, 3/4]; label 0; teacher [1/2, 1/2].
    const z = [0, Math.log(3)];
    const q = [0.5, 0.5];
    // T = 1, alpha = 1/2: 0.5 * ln 4 + 0.5 * (0.5 ln 2 + 0.5 ln(2/3)); gradient 0.5 (p - y) + 0.5 (p - q) = [-1/2, 1/2].
    const hand1 = 0.5 * Math.log(4) + 0.5 * (0.5 * Math.log(2) + 0.5 * Math.log(2 / 3));
    expect(tensorLoss(z, 0, q, { alpha: 0.5, temperature: 1 })).toBeCloseTo(hand1, 5);
    const p1 = plain(z, 0, q, { alpha: 0.5, temperature: 1 });
    expect(p1.loss).toBeCloseTo(0.7650676986728905, 10);
    expect(p1.grad[0]).toBeCloseTo(-0.5, 10);
    expect(p1.grad[1]).toBeCloseTo(0.5, 10);
    // T = 2: p_T = softmax([0, ln 3 / 2]) = [1, sqrt 3] / (1 + sqrt 3), q_T = q.
    const r = Math.sqrt(3);
    const pT = [1 / (1 + r), r / (1 + r)];
    const kl = 0.5 * Math.log(0.5 / pT[0]) + 0.5 * Math.log(0.5 / pT[1]);
    const hand2 = 0.5 * Math.log(4) + 0.5 * 4 * kl;
    const g0 = 0.5 * (0.25 - 1) + 0.5 * 2 * (pT[0] - 0.5);
    expect(tensorLoss(z, 0, q, { alpha: 0.5, temperature: 2 })).toBeCloseTo(hand2, 5);
    const p2 = plain(z, 0, q, { alpha: 0.5, temperature: 2 });
    expect(p2.loss).toBeCloseTo(0.7676517525907618, 10);
    expect(p2.loss).toBeCloseTo(hand2, 12);
    expect(p2.grad[0]).toBeCloseTo(g0, 12);
    expect(p2.grad[1]).toBeCloseTo(-g0, 12);
  });

  it('has the gradient of its value: tf.grad, the plain formula and finite differences agree', () => {
    const z = [1.0, -0.5, 0.3];
    const q = [0.7, 0.1, 0.2];
    const s = { alpha: 0.3, temperature: 3 };
    // Reference (numpy): loss 0.3952951888765858, gradient [0.0873356, 0.0667355, -0.1540711].
    const ref = [0.08733563073291156, 0.0667354816510641, -0.15407111238397536];
    const p = plain(z, 2, q, s);
    expect(p.loss).toBeCloseTo(0.3952951888765858, 10);
    p.grad.forEach((g, c) => expect(g).toBeCloseTo(ref[c], 10));
    // Central differences of the plain loss (float64).
    const h = 1e-6;
    z.forEach((_, c) => {
      const up = z.map((v, j) => (j === c ? v + h : v));
      const dn = z.map((v, j) => (j === c ? v - h : v));
      expect((plain(up, 2, q, s).loss - plain(dn, 2, q, s).loss) / (2 * h)).toBeCloseTo(ref[c], 7);
    });
    // The tensor version's autodiff gradient, averaged over a batch of two identical rows, is the same.
    const before = tf.memory().numTensors;
    const labels = tf.tensor1d([2, 2], 'int32');
    const teacher = tf.tensor2d([q, q]);
    const logits = tf.tensor2d([z, z]);
    const g = tf.grad((x: tf.Tensor) => distillLoss(x as tf.Tensor2D, labels, teacher, s))(logits);
    const rows = g.arraySync() as number[][];
    rows.forEach((row) => row.forEach((v, c) => expect(2 * v).toBeCloseTo(ref[c], 5)));
    // Finite differences of the float32 tensor loss, on a coarser step.
    const h32 = 1e-2;
    z.forEach((_, c) => {
      const up = z.map((v, j) => (j === c ? v + h32 : v));
      const dn = z.map((v, j) => (j === c ? v - h32 : v));
      expect((tensorLoss(up, 2, q, s) - tensorLoss(dn, 2, q, s)) / (2 * h32)).toBeCloseTo(ref[c], 3);
    });
    tf.dispose([labels, teacher, logits, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is plain cross-entropy at alpha = 1 and pure soft-target matching at alpha = 0', () => {
    const z = [0.2, 1.1, -0.4];
    const q = [0.2, 0.5, 0.3];
    const ce = plain(z, 1, q, { alpha: 1, temperature: 4 });
    const p = softenProbabilities(z.map(Math.exp), 1);
    expect(ce.loss).toBeCloseTo(-Math.log(p[1]), 12);
    // A student that already matches the softened teacher has zero soft loss and zero gradient.
    const match = softenProbabilities(q, 2);
    const zMatch = Array.from(match, (v) => 2 * Math.log(v));
    const soft = plain(zMatch, 0, q, { alpha: 0, temperature: 2 });
    expect(soft.loss).toBeCloseTo(0, 12);
    soft.grad.forEach((g) => expect(g).toBeCloseTo(0, 12));
    expect(() => tensorLoss(z, 0, q, { alpha: 1.5, temperature: 1 })).toThrow(/alpha/);
    expect(() => tensorLoss(z, 0, q, { alpha: 0.5, temperature: 0 })).toThrow(/temperature/);
  });
});
