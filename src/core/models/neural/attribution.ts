/**
 * Gradient × input token attributions (Shrikumar et al. 2016; Simonyan et al. 2014 for the
 * gradient): for each token, the dot product of its embedding with the gradient of the target
 * class's logit with respect to that embedding. Positive pushes towards the class.
 *
 * The gradient is taken with respect to the embedding table (the variable the forward pass
 * gathers from), so any model that embeds ids by a gather works unchanged. The table's gradient
 * row of a token id sums over the positions where that id occurs; a repeated token's total is
 * split evenly over its occurrences (exact in sum, an approximation per position).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TokenAttribution } from '../estimator';

export interface EmbeddingNetwork {
  logits(ids: tf.Tensor2D, mask: tf.Tensor2D, training: boolean): tf.Tensor2D;
}

export async function gradientTimesInput(net: EmbeddingNetwork, embedding: tf.Variable, ids: Int32Array, tokens: string[], target?: number): Promise<TokenAttribution> {
  if (ids.length !== tokens.length) throw new RangeError(`gradientTimesInput: ${ids.length} ids for ${tokens.length} tokens`);
  const idsT = tf.tensor2d(ids, [1, ids.length], 'int32');
  const mask = tf.ones([1, ids.length], 'float32') as tf.Tensor2D;
  try {
    const probsT = tf.tidy(() => tf.softmax(net.logits(idsT, mask, false)));
    const probs = Array.from(await probsT.data());
    probsT.dispose();
    const k = target ?? probs.indexOf(Math.max(...probs));
    if (!(Number.isInteger(k) && k >= 0 && k < probs.length)) throw new RangeError(`target class ${target} is not one of 0..${probs.length - 1}`);
    const scoresT = tf.tidy(() => {
      const { grads, value } = tf.variableGrads(() => tf.sum(tf.slice(net.logits(idsT, mask, false), [0, k], [1, 1])) as tf.Scalar, [embedding]);
      value.dispose();
      const flat = tf.tensor1d(ids, 'int32');
      return tf.sum(tf.mul(tf.gather(embedding, flat), tf.gather(grads[embedding.name], flat)), 1);
    });
    const raw = Array.from(await scoresT.data());
    scoresT.dispose();
    const count = new Map<number, number>();
    for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
    return { tokens, scores: raw.map((s, i) => s / count.get(ids[i])!), target: k, probs, method: 'gradient × input (token embeddings)' };
  } finally {
    idsT.dispose();
    mask.dispose();
  }
}
