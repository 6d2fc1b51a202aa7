/**
 * Builds the EncoderContext an architecture's forward runs against: weights by name, `dense`
 * through any PEFT adapters (LoRA, IA3, BitFit) that claim the module, and seeded dropout.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderContext } from './types';

/** y = x W^T + b with x of any rank (the last axis is the input features), as torch.nn.Linear. */
export function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | undefined): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  const outDim = w.shape[0];
  const y = tf.matMul(tf.reshape(x, [-1, inDim]), w as tf.Tensor2D, false, true);
  const withBias = b ? tf.add(y, b) : y;
  return tf.reshape(withBias, [...x.shape.slice(0, -1), outDim]);
}

/**
 * A wrapper of `dense` for the modules it claims. `base` computes the frozen layer on any input
 * (an adapter may rescale the input, add to the output, or both).
 */
export interface DenseAdapter {
  claims(module: string): boolean;
  apply(module: string, x: tf.Tensor, base: (input: tf.Tensor) => tf.Tensor, ctx: EncoderContext): tf.Tensor;
}

export interface ContextOptions {
  training: boolean;
  /** Seed of this step's dropout masks; each dropout call within the step takes the next one. */
  seed?: number;
  adapters?: DenseAdapter[];
}

export function createContext(lookup: (name: string) => tf.Tensor | undefined, opts: ContextOptions): EncoderContext {
  let dropoutCalls = 0;
  const adapters = opts.adapters ?? [];
  const ctx: EncoderContext = {
    training: opts.training,
    param(name) {
      const t = lookup(name);
      if (!t) throw new Error(`weight '${name}' is missing from the checkpoint`);
      return t;
    },
    dense(module, x) {
      const base = (input: tf.Tensor) => linear(input, ctx.param(`${module}.weight`), lookup(`${module}.bias`));
      const chain = adapters.filter((a) => a.claims(module)).reduce<(input: tf.Tensor) => tf.Tensor>((inner, a) => (input) => a.apply(module, input, inner, ctx), base);
      return chain(x);
    },
    dropout(x, p) {
      if (!opts.training || p <= 0) return x;
      return tf.dropout(x, p, undefined, (opts.seed ?? 0) * 1000 + dropoutCalls++);
    },
  };
  return ctx;
}
