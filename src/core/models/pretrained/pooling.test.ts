/* eslint-disable no-restricted-imports -- the test reads the shared tiny-bert checkpoint */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, tinyModels } from './fixtures';
import { EncoderModel } from './model';

const tiny = tinyModels(fs);

describe.skipIf(!tiny.present)('mean pooling', () => {
  it('feeds the mean of the real tokens’ last hidden states to the classifier', async () => {
    const model = EncoderModel.fromCheckpoint(await tiny.load('tiny-bert'));
    const exp = tiny.expected('tiny-bert');
    model.pooling = 'mean';
    const got = model.logits(exp.input_ids, exp.attention_mask);
    // By hand from PyTorch's last_hidden_state: average the unmasked rows, then x W^T + b.
    const w = model.weights.get('classifier.weight')!.arraySync() as number[][];
    const b = model.weights.get('classifier.bias')!.arraySync() as number[];
    const want = exp.last_hidden_state.map((rows, i) => {
      const real = rows.filter((_, j) => exp.attention_mask[i][j] === 1);
      const mean = real[0].map((_, d) => real.reduce((s, r) => s + r[d], 0) / real.length);
      return w.map((wr, c) => wr.reduce((s, x, d) => s + x * mean[d], b[c]));
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
    const before = tf.memory().numTensors;
    model.logits(exp.input_ids, exp.attention_mask);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
