import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { RunFolder } from '../runs/run-folder';
import { memoryStore } from '../storage/memory';
import type { ModelArtifact } from '../models/estimator';
import { parseExperimentConfig } from '../experiment/config';
import { trainNetwork, type Network } from './loop';

/** A linear bag-of-ids model whose forward pass fails like a GPU allocation after `failAt` calls. */
function flakyNet(failAt: number): Network {
  const emb = tf.variable(tf.zeros([10, 4]));
  const w = tf.variable(tf.zeros([4, 2]));
  let calls = 0;
  return {
    variables: () => [emb, w],
    logits: (ids) => {
      if (++calls === failAt) throw new Error('WebGPU: Out of memory: failed to allocate buffer of 2147483648 bytes');
      return tf.matMul(tf.mean(tf.gather(emb, ids), 1) as tf.Tensor2D, w);
    },
    snapshot: async (): Promise<ModelArtifact> => ({ kind: 'toy', meta: {}, tensors: { emb: { dtype: 'F32', shape: [10, 4], data: (await emb.data()) as Float32Array } } }),
  };
}

describe('out of memory', () => {
  it('is reported with a concrete suggestion, and the last checkpoint stays readable', async () => {
    const cfg = parseExperimentConfig({ model: { type: 'textcnn', train: { batchSize: 4, maxLen: 64, epochs: 2, checkpointEvery: 2 } } }).model;
    const loop = cfg.type === 'textcnn' ? cfg.train : undefined;
    const data = { ids: Array.from({ length: 24 }, (_, i) => Int32Array.of(i % 10, (i + 1) % 10)), labels: Int32Array.from({ length: 24 }, (_, i) => i % 2) };
    const run = new RunFolder(memoryStore(), '');
    const err = await trainNetwork(flakyNet(5), data, undefined, loop!, {
      classes: ['a', 'b'],
      seed: 1,
      checkpoints: { everySteps: 2, save: async (slot, a, pos) => void (await run.saveCheckpoint(slot, a, pos)) },
    }).catch((e) => e);
    expect(err.name).toBe('BackendError');
    expect(err.message).toMatch(/ran out of memory at step 4 .*model\.train\.batchSize: 2.*model\.train\.maxLen: 32/);
    const { pointer } = await run.loadCheckpoint('latest');
    expect(pointer.step).toBe(4);
  });
});
