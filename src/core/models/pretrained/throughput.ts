/**
 * Speed of an encoder shape on the current backend: random weights for a config.json (speed and
 * memory do not depend on the values), then timed fine-tuning steps (AdamW on every weight, or
 * LoRA) or inference batches on random token ids. Everything it allocates is disposed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from './adamw';
import { checkConfig } from './checkpoint';
import { trainStep } from './finetune';
import { Lora } from './lora';
import { EncoderModel } from './model';
import type { HfConfig } from './types';

export interface ThroughputOptions {
  batch: number;
  length: number;
  /** Timed steps (train) or batches (infer). */
  steps: number;
  mode: 'train' | 'infer';
  /** Untimed steps first (kernel compilation, allocation); default 1. */
  warmup?: number;
  /** What a training step updates: every weight (default) or LoRA adapters (r 8, PEFT's default targets) and the head. */
  method?: 'full' | 'lora';
  seed?: number;
  /** Also record the peak of tf.memory().numBytes over the warm-up and timed steps (the kernels are then timed one by one too: use it for memory, not speed). */
  trackPeak?: boolean;
}

export interface ThroughputResult {
  mode: 'train' | 'infer';
  method: 'full' | 'lora';
  backend: string;
  batch: number;
  length: number;
  steps: number;
  parameters: number;
  seconds: number;
  msPerStep: number;
  examplesPerSecond: number;
  /** Peak bytes of all tensors alive during the steps, weights included (with `trackPeak`). */
  peakBytes?: number;
}

export async function measureThroughput(config: HfConfig, opts: ThroughputOptions): Promise<ThroughputResult> {
  const { batch, length, steps, mode } = opts;
  const seed = opts.seed ?? 0;
  const arch = checkConfig(config);
  const labels = Math.max(2, Object.keys((config.id2label as Record<string, string> | undefined) ?? {}).length);
  const model = EncoderModel.random(arch, config, labels, seed);
  const vocab = typeof config.vocab_size === 'number' ? config.vocab_size : 1000;
  const inputIds = tf.randomUniform([batch, length], 0, vocab, 'int32', seed) as tf.Tensor2D;
  const attentionMask = tf.ones([batch, length], 'int32') as tf.Tensor2D;
  const y = tf.randomUniform([batch], 0, labels, 'int32', seed + 1) as tf.Tensor1D;
  const method = opts.method ?? 'full';
  const lora = method === 'lora' ? Lora.create(model, { r: 8, alpha: 16, dropout: 0.1 }, seed) : undefined;
  const trainable = lora ? lora.trainable() : model.weights;
  const optimizer = new AdamW(trainable, { lr: 1e-5, weightDecay: 0.01 });
  const once = async (step: number) => {
    if (mode === 'train') {
      const r = trainStep(model, { inputIds, attentionMask, labels: y }, { optimizer, trainable, adapters: lora && [lora], overrides: lora?.overrides, seed: step });
      await r.loss.data();
      tf.dispose([r.loss, r.gradNorm]);
    } else {
      const logits = tf.tidy(() => model.forward({ inputIds, attentionMask }, { adapters: lora && [lora], overrides: lora?.overrides }).logits);
      await logits.data();
      logits.dispose();
    }
  };
  try {
    let seconds = 0;
    const run = async () => {
      for (let i = 0; i < (opts.warmup ?? 1); i++) await once(i);
      const start = performance.now();
      for (let i = 0; i < steps; i++) await once(1000 + i);
      seconds = (performance.now() - start) / 1000;
    };
    const peakBytes = opts.trackPeak ? (await tf.profile(run)).peakBytes : (await run(), undefined);
    let parameters = 0;
    for (const v of model.weights.values()) parameters += v.size;
    return {
      mode,
      method,
      backend: tf.getBackend(),
      batch,
      length,
      steps,
      parameters,
      seconds,
      msPerStep: (seconds * 1000) / steps,
      examplesPerSecond: (batch * steps) / seconds,
      peakBytes,
    };
  } finally {
    optimizer.dispose();
    lora?.dispose();
    tf.dispose([inputIds, attentionMask, y]);
    model.dispose();
  }
}
