/** Building blocks written from core ops (TF.js has no attention layer): layer norm, GELU, attention. */
import * as tf from '@tensorflow/tfjs-core';

export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
}

/** GELU, tanh approximation (Hendrycks & Gimpel 2016), as BERT and GPT-2 use. */
export function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** x [B, L, d] @ w [d, e] + b, as one 2-D matmul. */
export function dense3(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const [bsz, len, d] = x.shape;
  const y = tf.matMul(tf.reshape(x, [bsz * len, d]), w as tf.Tensor2D);
  return tf.reshape(b ? tf.add(y, b) : y, [bsz, len, w.shape[1]!]);
}

/**
 * Multi-head self-attention. `maskBias` is [B, 1, 1, L]: 0 for tokens, a large negative
 * number for padding, added to the scores before the softmax.
 */
export function selfAttention(
  h: tf.Tensor,
  p: { q: tf.Tensor; k: tf.Tensor; v: tf.Tensor; o: tf.Tensor; qb: tf.Tensor; kb: tf.Tensor; vb: tf.Tensor; ob: tf.Tensor },
  heads: number,
  maskBias: tf.Tensor,
  drop: (x: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const [bsz, len, d] = h.shape as [number, number, number];
  const dh = d / heads;
  const split = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [bsz, len, heads, dh]), [0, 2, 1, 3]);
  const q = split(dense3(h, p.q, p.qb));
  const k = split(dense3(h, p.k, p.kb));
  const v = split(dense3(h, p.v, p.vb));
  const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)), maskBias);
  const att = drop(tf.softmax(scores, -1));
  const ctx = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [bsz, len, d]);
  return dense3(ctx, p.o, p.ob);
}

/** Mean of the unmasked positions: x [B, L, d], mask [B, L] -> [B, d]. */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const summed = tf.sum(tf.mul(x, tf.expandDims(mask, 2)), 1);
  return tf.div(summed, tf.maximum(tf.sum(mask, 1, true), 1));
}
