import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiment/config';
import { createEstimator } from '../registry';
import type { TrainEvent } from '../../train/events';
import { gruDirection } from './bigru';
import { toyTopics } from './toy-data';

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);

describe('BiGRU', () => {
  it('matches a scalar GRU step written out by hand', () => {
    // One unit, one step, from h = 0: z = σ(xz + bz), r = σ(xr + br), n = tanh(xn + r·bn), h = (1 - z)·n.
    const [xz, xr, xn, bz, br, bn] = [0.3, -0.2, 0.5, 0.1, 0.4, -0.3];
    const sig = (a: number) => 1 / (1 + Math.exp(-a));
    const z = sig(xz + bz);
    const n = Math.tanh(xn + sig(xr + br) * bn);
    const h = gruDirection({ xp: [tf.tensor2d([[xz, xr, xn]])], u: tf.tensor2d([[0.7, -0.1, 0.2]]), ub: tf.tensor1d([bz, br, bn]) }, [tf.ones([1, 1])], false);
    expect(h.dataSync()[0]).toBeCloseTo((1 - z) * n, 6);
  });

  it('ignores padding: a padded sequence ends in the same states, both directions', () => {
    tf.tidy(() => {
      const [H, L] = [3, 4];
      const xp = tf.unstack(rand([L, 1, 3 * H], 1));
      const u = rand([H, 3 * H], 2);
      const ub = rand([3 * H], 3);
      const padded = [...xp, rand([1, 3 * H], 4), rand([1, 3 * H], 5)];
      const steps = (real: number, all: number) => Array.from({ length: all }, (_, t) => tf.fill([1, 1], t < real ? 1 : 0));
      for (const reverse of [false, true]) {
        const a = gruDirection({ xp, u, ub }, steps(L, L), reverse).dataSync();
        const b = gruDirection({ xp: padded, u, ub }, steps(L, L + 2), reverse).dataSync();
        Array.from(a).forEach((x, i) => expect(b[i]).toBeCloseTo(x, 6));
      }
    });
  });

  it('trains deterministically with a flat tensor count across epochs', async () => {
    const counts: number[] = [];
    const run = async () => {
      const cfg = parseExperimentConfig({ model: { type: 'bigru', minCount: 1, embeddingDim: 8, hidden: 6, train: { epochs: 4, batchSize: 16, lr: 0.01 } } });
      const m = createEstimator(cfg.model);
      await m.fit(toyTopics(64), {
        classes: ['a', 'b'],
        seed: 5,
        validation: toyTopics(16, 500),
        onEvent: (e: TrainEvent) => e.type === 'epoch' && counts.push(tf.memory().numTensors),
      });
      const w = (await m.save()).tensors;
      m.dispose();
      return w;
    };
    const a = await run();
    const b = await run();
    expect(Array.from(a['fwd.u'].data)).toEqual(Array.from(b['fwd.u'].data));
    expect(new Set(counts.slice(0, 4)).size).toBe(1);
  });
});
