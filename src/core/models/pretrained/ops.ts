/**
 * The numerical pieces the Hugging Face encoders share, written to match PyTorch's definitions
 * (not the from-scratch tier's approximations): LayerNorm with the checkpoint's eps, activations by
 * the name config.json gives, and multi-head self-attention through `ctx.dense` so PEFT wrappers apply.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderContext } from './types';

/** torch.nn.LayerNorm over the last axis, weights `${module}.weight` / `${module}.bias`. */
export function layerNorm(ctx: EncoderContext, module: string, x: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, ctx.param(`${module}.weight`)), ctx.param(`${module}.bias`));
}

const SQRT1_2 = Math.SQRT1_2;
const ACTIVATIONS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  // transformers' "gelu" is the exact erf form; "gelu_new" and "gelu_pytorch_tanh" the tanh approximation.
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT1_2)))),
  gelu_new: geluTanh,
  gelu_pytorch_tanh: geluTanh,
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
};

function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);

export function activation(name: string): (x: tf.Tensor) => tf.Tensor {
  const f = ACTIVATIONS[name];
  if (!f) throw new Error(`activation '${name}' is not supported (supported: ${ACTIVATION_NAMES.join(', ')})`);
  return f;
}

/** [B, L] attention mask (1 token, 0 padding) -> [B, 1, 1, L] additive bias, as transformers' extended mask. */
export function maskBias(attentionMask: tf.Tensor2D): tf.Tensor4D {
  const [b, l] = attentionMask.shape;
  // PyTorch adds float32's lowest value; -1e9 gives the same exact zeros after exp and cannot
  // overflow to -inf when a backend adds a second bias (DeBERTa's relative terms).
  return tf.reshape(tf.mul(tf.sub(1, tf.cast(attentionMask, 'float32')), -1e9), [b, 1, 1, l]);
}

export interface AttentionModules {
  query: string;
  key: string;
  value: string;
  output: string;
}

/**
 * Scaled dot-product self-attention over x [B, L, H] with `heads` heads; returns the output
 * projection's result [B, L, H] (no residual, no norm: the callers differ there).
 */
export function selfAttention(ctx: EncoderContext, m: AttentionModules, x: tf.Tensor, heads: number, bias: tf.Tensor, attnDropout: number): tf.Tensor {
  const [bsz, len, hidden] = x.shape as [number, number, number];
  const dh = hidden / heads;
  // Heads first; keys straight to [B, heads, dh, L], so the score product needs no transposed operand.
  const split = (t: tf.Tensor, perm: number[]) => tf.transpose(tf.reshape(t, [bsz, len, heads, dh]), perm);
  const q = split(ctx.dense(m.query, x), [0, 2, 1, 3]);
  const kT = split(ctx.dense(m.key, x), [0, 2, 3, 1]);
  const v = split(ctx.dense(m.value, x), [0, 2, 1, 3]);
  const scores = tf.add(tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(dh)), bias);
  const probs = ctx.dropout(tf.softmax(scores, -1), attnDropout);
  const merged = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [bsz, len, hidden]);
  return ctx.dense(m.output, merged);
}

/** The first token's vector of each sequence: x [B, L, H] -> [B, H]. */
export function firstToken(x: tf.Tensor): tf.Tensor2D {
  const [b, , h] = x.shape as [number, number, number];
  return tf.reshape(tf.slice(x, [0, 0, 0], [b, 1, h]), [b, h]);
}

/** Reads a numeric config field, with a default when absent or null. */
export function num(config: Record<string, unknown>, key: string, fallback?: number): number {
  const v = config[key];
  if (typeof v === 'number') return v;
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  throw new Error(`config.json: '${key}' must be a number (got ${JSON.stringify(v)})`);
}
