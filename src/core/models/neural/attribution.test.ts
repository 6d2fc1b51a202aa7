import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gradientTimesInput } from './attribution';

describe('gradientTimesInput', () => {
  it("gives each position its exact share of a linear model's logit", async () => {
    // logits = mean over positions of E[id] @ W: the score of position p for class k is E[id_p]·W_k / L.
    const E = tf.variable(
      tf.tensor2d([
        [0, 0],
        [1, 2],
        [3, -1],
        [-2, 1],
      ]),
      true,
      'attr-E',
    );
    const W = tf.tensor2d([
      [1, -1],
      [0.5, 2],
    ]); // [dim, classes]
    const net = { logits: (ids: tf.Tensor2D) => tf.tidy(() => tf.matMul(tf.mean(tf.gather(E, tf.reshape(ids, [-1])), 0, true), W)) as tf.Tensor2D };
    const ids = Int32Array.from([1, 2, 1, 3]);
    const before = tf.memory().numTensors;
    const a = await gradientTimesInput(net, E, ids, ['a', 'b', 'a', 'c'], 0);
    expect(tf.memory().numTensors).toBe(before);
    // Class 0 column of W is [1, 0.5]: E·W0 = 2, 2.5, 2, -1.5 for ids 1, 2, 1, 3; divided by L = 4.
    expect(a.target).toBe(0);
    expect(a.tokens).toEqual(['a', 'b', 'a', 'c']);
    a.scores.forEach((s, i) => expect(s).toBeCloseTo([0.5, 0.625, 0.5, -0.375][i], 5));
    // Completeness for a linear model: the scores add up to the logit.
    expect(a.scores.reduce((x, y) => x + y, 0)).toBeCloseTo(1.25, 5);
    // Class 1 (column [-1, 2]): 3, -5, 3, 4 over 4 positions = 1.25 as well, so the classes tie.
    a.probs.forEach((p) => expect(p).toBeCloseTo(0.5, 5));
    const b = await gradientTimesInput(net, E, ids, ['a', 'b', 'a', 'c'], 1);
    b.scores.forEach((s, i) => expect(s).toBeCloseTo([0.75, -1.25, 0.75, 1][i], 5));
    // Without a target the predicted class is explained.
    expect((await gradientTimesInput(net, E, ids, ['a', 'b', 'a', 'c'])).target).toBe(0);
    await expect(gradientTimesInput(net, E, ids, ['a'], 0)).rejects.toThrow(/4 ids for 1 tokens/);
    E.dispose();
    W.dispose();
  });
});
