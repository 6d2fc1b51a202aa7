import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '../node/gradients';
import { registerSegmentSumKernels } from './segment-sum';

describe('fast UnsortedSegmentSum kernels', () => {
  registerSegmentSumKernels();
  for (const backend of ['cpu', 'wasm']) {
    it(`${backend}: matches the definition, and gather's gradient uses it`, async () => {
      await tf.setBackend(backend);
      const x = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const ids = tf.tensor1d([2, 0, 2], 'int32');
      expect(await tf.unsortedSegmentSum(x, ids, 3).array()).toEqual([
        [3, 4],
        [0, 0],
        [6, 8],
      ]);
      const table = tf.variable(tf.ones([4, 2]));
      const { grads } = tf.variableGrads(() => tf.sum(tf.gather(table, tf.tensor1d([1, 1, 3], 'int32'))) as tf.Scalar, [table]);
      expect(await Object.values(grads)[0].array()).toEqual([
        [0, 0],
        [2, 2],
        [0, 0],
        [1, 1],
      ]);
      tf.dispose([x, ids, table, ...Object.values(grads)]);
    });
  }
});
