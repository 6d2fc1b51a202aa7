/**
 * Hooks a training technique sets on one forward pass: the embedding output (the tensor the first
 * encoder layer reads; adversarial training perturbs it) and the input of the classifier's last
 * linear layer (the pooled sentence vector; mixup mixes it). The hooks ride on the pass's
 * EncoderContext through a WeakMap, so the context contract every PEFT adapter implements stays
 * as it is; a pass without hooks computes exactly what it did before.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { EncoderContext } from './types';

export interface ForwardHooks {
  /** Replaces the embedding output [B, L, H] (e.g. adds a perturbation). */
  embeddings?: (x: tf.Tensor) => tf.Tensor;
  /** Replaces the input [B, H] of the classifier's last linear layer (e.g. mixes rows). */
  pooled?: (x: tf.Tensor) => tf.Tensor;
}

const attached = new WeakMap<EncoderContext, ForwardHooks>();

export function attachHooks(ctx: EncoderContext, hooks: ForwardHooks): void {
  attached.set(ctx, hooks);
}

/** What an architecture hands its encoder stack: the embedding output through the pass's hook, if any. */
export function embeddingOutput(ctx: EncoderContext, x: tf.Tensor): tf.Tensor {
  const hook = attached.get(ctx)?.embeddings;
  return hook ? hook(x) : x;
}

export function pooledHook(ctx: EncoderContext): ForwardHooks['pooled'] {
  return attached.get(ctx)?.pooled;
}
