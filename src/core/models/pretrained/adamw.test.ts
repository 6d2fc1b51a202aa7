import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW, decaysByDefault } from './adamw';
import { clipByGlobalNorm } from './finetune';

/** Gradients of sum((p - target)^2) for each parameter. */
function grads(params: Map<string, tf.Variable>): Map<string, tf.Tensor> {
  return new Map([...params].map(([n, p]) => [n, tf.tidy(() => tf.mul(2, tf.sub(p, n.endsWith('.bias') ? 3 : -1)))]));
}

function run(params: Map<string, tf.Variable>, opt: AdamW, steps: number): void {
  for (let i = 0; i < steps; i++) {
    const g = grads(params);
    opt.step(g);
    tf.dispose([...g.values()]);
  }
}

/** A variable that owns t's data (t released). */
function own(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t);
  t.dispose();
  return v;
}

const fresh = () =>
  new Map([
    [
      'layer.dense.weight',
      own(
        tf.tensor2d([
          [1, -2],
          [0.5, 4],
        ]),
      ),
    ],
    ['layer.dense.bias', own(tf.tensor1d([0.1, -0.2]))],
  ]);

describe('AdamW (torch semantics)', () => {
  it("one step by torch's formula: decay lr*wd*p first, then m/(sqrt(v)/sqrt(bc2) + eps) * lr/bc1", () => {
    const params = new Map([['w', own(tf.scalar(1))]]);
    const opt = new AdamW(params, { lr: 0.1, weightDecay: 0.1 });
    const g = tf.scalar(0.5);
    opt.step(new Map([['w', g]]));
    g.dispose();
    // p = 1 * (1 - 0.01) - (0.1 / 0.1) * 0.05 / (sqrt(0.00025) / sqrt(0.001) + 1e-8)
    expect(params.get('w')!.dataSync()[0]).toBeCloseTo(0.99 - 0.05 / (0.5 + 1e-8), 6);
    opt.dispose();
    params.get('w')!.dispose();
  });

  it('no decay on biases and LayerNorm weights', () => {
    expect(decaysByDefault('bert.encoder.layer.0.output.dense.weight')).toBe(true);
    expect(decaysByDefault('bert.encoder.layer.0.output.dense.bias')).toBe(false);
    expect(decaysByDefault('bert.embeddings.LayerNorm.weight')).toBe(false);
    expect(decaysByDefault('distilbert.transformer.layer.0.sa_layer_norm.weight')).toBe(false);
    expect(decaysByDefault('bert.embeddings.word_embeddings.weight')).toBe(true);
  });

  it('a run resumed from saved state and weights ends bit-identical to an uninterrupted one', async () => {
    const before = tf.memory().numTensors;
    const a = fresh();
    const optA = new AdamW(a, { lr: 0.05, weightDecay: 0.1 });
    run(a, optA, 6);

    const b = fresh();
    const optB = new AdamW(b, { lr: 0.05, weightDecay: 0.1 });
    run(b, optB, 3);
    const state = await optB.state();
    const weights = new Map([...b].map(([n, v]) => [n, { shape: v.shape, data: v.dataSync().slice() }]));
    optB.dispose();
    tf.dispose([...b.values()]);

    const c = new Map([...weights].map(([n, w]) => [n, own(tf.tensor(w.data, w.shape))]));
    const optC = new AdamW(c, { lr: 0.05, weightDecay: 0.1 });
    optC.load(state);
    run(c, optC, 3);
    for (const n of a.keys()) expect([...c.get(n)!.dataSync()]).toEqual([...a.get(n)!.dataSync()]);
    for (const o of [optA, optC]) o.dispose();
    tf.dispose([...a.values(), ...c.values()]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('clip_grad_norm_: scales by max/(norm + 1e-6) only when the norm is larger', () => {
    const g = new Map([
      ['x', tf.tensor1d([3, 0])],
      ['y', tf.tensor1d([4])],
    ]);
    const norm = clipByGlobalNorm(g, 1);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    expect([...g.get('x')!.dataSync(), ...g.get('y')!.dataSync()].map((v) => +v.toFixed(6))).toEqual([+(3 / (5 + 1e-6)).toFixed(6), 0, +(4 / (5 + 1e-6)).toFixed(6)]);
    const kept = clipByGlobalNorm(g, 10);
    expect(g.get('y')!.dataSync()[0]).toBeCloseTo(4 / (5 + 1e-6), 6);
    tf.dispose([norm, kept, ...g.values()]);
  });
});
