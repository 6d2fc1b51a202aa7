/**
 * One fine-tuning step, the same for full fine-tuning and PEFT: forward in training mode,
 * mean cross-entropy, gradients of the trainable variables only, optional global-norm clipping
 * (torch.nn.utils.clip_grad_norm_), then AdamW. With training techniques on, the loss and its
 * gradients come from technique-step.ts instead; with all of them off this path is unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AdamW } from './adamw';
import type { DenseAdapter } from './context';
import type { EncoderModel } from './model';
import { distillLoss, type DistillSettings } from '../../train/distill-loss';
import { techniqueGradients, usesTechniques, type StepTechniques } from './technique-step';

export interface Batch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  /** [B] int32 class indices. */
  labels: tf.Tensor1D;
}

/** What a step updates with: one AdamW, or several for per-layer learning rates (param-groups.ts). */
export type StepOptimizer = Pick<AdamW, 'step'>;

export interface StepOptions {
  optimizer: StepOptimizer;
  /** What the step trains, by the names the optimizer knows them. */
  trainable: ReadonlyMap<string, tf.Variable>;
  adapters?: DenseAdapter[];
  overrides?: ReadonlyMap<string, tf.Tensor>;
  /** Clip the global gradient norm to this (none when absent). */
  maxGradNorm?: number;
  /** Seeds this step's dropout masks. */
  seed?: number;
}

/** Scalars on the backend, so a GPU step needs no synchronous read; the caller disposes them. */
export interface StepResult {
  /** The loss before the update. */
  loss: tf.Scalar;
  /** Global gradient norm before clipping. */
  gradNorm: tf.Scalar;
}

/** Mean softmax cross-entropy of logits [B, C] against class indices [B]. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits, -1);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), -1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

export function trainStep(model: EncoderModel, batch: Batch, opts: StepOptions): StepResult {
  const { loss, correct, grads } = gradients(model, batch, opts);
  correct.dispose();
  return { loss, gradNorm: applyGradients(grads, opts) };
}

/** The loss and the gradient of every trainable variable by name, for one batch (training mode). */
export function gradients(
  model: EncoderModel,
  batch: Batch,
  opts: Omit<StepOptions, 'optimizer' | 'maxGradNorm'> & {
    /** The batch's teacher rows [B, C]: the loss is then the distillation loss (see train/distill-loss). */
    teacher?: { probs: tf.Tensor2D; settings: DistillSettings };
    techniques?: StepTechniques;
  },
): { loss: tf.Scalar; correct: tf.Scalar; grads: Map<string, tf.Tensor> } {
  if (usesTechniques(opts.techniques)) return techniqueGradients(model, batch, { ...opts, techniques: opts.techniques });
  const names = [...opts.trainable.keys()];
  const vars = names.map((n) => opts.trainable.get(n)!);
  const byVarName = new Map(vars.map((v, i) => [v.name, names[i]]));
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward(
      { inputIds: batch.inputIds, attentionMask: batch.attentionMask },
      { training: true, seed: opts.seed, adapters: opts.adapters, overrides: opts.overrides },
    );
    correct = tf.keep(tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(out.logits, -1), tf.cast(batch.labels, 'int32')), 'float32')) as tf.Scalar));
    if (!opts.teacher) return crossEntropy(out.logits, batch.labels);
    return distillLoss(out.logits as tf.Tensor2D, tf.cast(batch.labels, 'int32') as tf.Tensor1D, opts.teacher.probs, opts.teacher.settings);
  }, vars);
  const named = new Map<string, tf.Tensor>();
  for (const [varName, g] of Object.entries(grads)) named.set(byVarName.get(varName)!, g);
  return { loss: value, correct: correct!, grads: named };
}

/** Clips (when asked) and applies gradients, disposing them; returns the norm before clipping. */
export function applyGradients(grads: Map<string, tf.Tensor>, opts: Pick<StepOptions, 'optimizer' | 'maxGradNorm'>): tf.Scalar {
  const gradNorm = opts.maxGradNorm === undefined ? globalNorm(grads) : clipByGlobalNorm(grads, opts.maxGradNorm);
  opts.optimizer.step(grads);
  for (const g of grads.values()) g.dispose();
  return gradNorm;
}

/**
 * Square root of the summed squares of every gradient. Summed with binary adds, not tf.addN:
 * WebGPU's AddN binds each input as a storage buffer of one shader and an encoder has more
 * gradients than a device allows (8 by default).
 */
function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => tf.sqrt([...grads.values()].map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b))) as tf.Scalar);
}

/**
 * torch.nn.utils.clip_grad_norm_: scales every gradient by min(1, max / (norm + 1e-6)), replacing
 * (and disposing) the entries of `grads`; returns the norm before clipping.
 */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): tf.Scalar {
  const norm = globalNorm(grads);
  const coef = tf.tidy(() => tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))));
  for (const [n, g] of grads) {
    grads.set(n, tf.mul(g, coef));
    g.dispose();
  }
  coef.dispose();
  return norm;
}
