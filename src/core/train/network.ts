/** What the training loop needs of a TF.js network, and the forward-only helpers around it. */
import * as tf from '@tensorflow/tfjs-core';
import { argmax, macroF1 } from '../eval/metrics';
import type { ModelArtifact } from '../models/estimator';
import { disposeBatch, makeBatch, type Batch, type Encoded } from './batches';
import { distillLoss, type DistillSettings } from './distill-loss';
import { hardLoss } from './techniques/losses';

/**
 * How a batch's loss is formed: label smoothing, focal modulation and class weights of the
 * hard-label term (techniques/losses.ts), and distillation when the batch carries teacher
 * probabilities.
 */
export interface LossOptions {
  labelSmoothing: number;
  distill?: DistillSettings;
  /** Focal exponent of the hard-label term; 0 or absent is cross-entropy. */
  gamma?: number;
  /** Per-class weights of the hard-label term, and how the weighted terms are averaged. */
  classWeights?: number[];
  normalize?: 'weights' | 'count';
}

/** Gradients of one batch for a model whose embedding table is updated row by row. */
export interface SparseGrads {
  /** Summed loss (mean x batch size) and number correct, as scalars. */
  loss: tf.Tensor;
  correct: tf.Tensor;
  /** The embedding table's index in variables(), the rows used, their values and gradients. */
  rows: { index: number; ids: tf.Tensor1D; current: tf.Tensor; grad: tf.Tensor };
  /** Gradients of the other variables, by index in variables(). */
  dense: { index: number; grad: tf.Tensor }[];
}

export interface Network {
  /** Trainable variables, in a fixed order (optimizer state is saved by position). */
  variables(): tf.Variable[];
  /** Forward pass; `seed` makes dropout reproducible (and so resumable) step by step. */
  logits(ids: tf.Tensor2D, mask: tf.Tensor2D, training: boolean, seed?: number): tf.Tensor2D;
  /** For optimizer 'sparse-adam': gradients restricted to the embedding rows a batch uses. */
  sparseGrads?(batch: Batch, k: number, loss: LossOptions, seed: number): SparseGrads;
  /** The model as an artifact (weights and what is needed to rebuild it), for checkpoints. */
  snapshot(): Promise<ModelArtifact>;
  /**
   * The cut the training techniques work at (logits = head(pool(embed(ids), mask))): the token
   * embeddings [B, L, E] (adversarial perturbations are added here), the pooled sentence
   * representation [B, H] (mixup mixes here), and the classifier. Dropout draws from `seed` in
   * both pool and head, so two calls with one seed draw the same masks.
   */
  embed?(ids: tf.Tensor2D): tf.Tensor3D;
  pool?(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D;
  head?(pooled: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D;
  /** Dropout rate of the model in training (R-Drop compares two dropout passes). */
  readonly dropoutRate?: number;
  /** Ids the vocabulary gives words it does not know (always rare for the curriculum's 'rare-words'). */
  unknownIds?(): number[];
}

/**
 * Softmax cross-entropy (mean over the batch) and the count of right answers; with a teacher,
 * the distillation loss. Label smoothing then applies to the hard term only: the soft term
 * already has its own softened targets.
 */
export function batchLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  k: number,
  opts: LossOptions,
  teacher?: tf.Tensor2D,
  targets?: tf.Tensor2D,
): { loss: tf.Scalar; correct: tf.Tensor } {
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
  // Mixed targets (mixup), focal modulation or class weights take the general hard-label term.
  const general = !!targets || !!opts.gamma || !!opts.classWeights;
  const hard = () =>
    general
      ? hardLoss(logits, targets ?? (tf.oneHot(labels, k).toFloat() as tf.Tensor2D), {
          labelSmoothing: opts.labelSmoothing,
          gamma: opts.gamma ?? 0,
          classWeights: opts.classWeights,
          normalize: opts.normalize ?? 'weights',
        })
      : (tf.losses.softmaxCrossEntropy(tf.oneHot(labels, k), logits, undefined, opts.labelSmoothing) as tf.Scalar);
  if (!teacher || !opts.distill) return { loss: hard(), correct };
  const { alpha, temperature } = opts.distill;
  if (opts.labelSmoothing === 0 && !general) return { loss: distillLoss(logits, labels, teacher, opts.distill), correct };
  const soft = distillLoss(logits, labels, teacher, { alpha: 0, temperature });
  return { loss: tf.add(tf.mul(alpha, hard()), tf.mul(1 - alpha, soft)) as tf.Scalar, correct };
}

/** Class probabilities for encoded sequences, in batches, with no gradient bookkeeping. */
export async function predictNetwork(net: Network, data: Encoded, batchSize: number, maxLen: number): Promise<Float32Array[]> {
  // Sorting by length keeps padding (wasted work) low; results go back in input order.
  const order = Array.from(data.ids.keys()).sort((a, b) => data.ids[a].length - data.ids[b].length);
  const result = new Array<Float32Array>(data.ids.length);
  for (let s = 0; s < order.length; s += batchSize) {
    const members = order.slice(s, s + batchSize);
    const batch = makeBatch(data, members, maxLen);
    const probs = tf.tidy(() => tf.softmax(net.logits(batch.ids, batch.mask, false)));
    disposeBatch(batch);
    const flat = await probs.data();
    probs.dispose();
    const k = flat.length / members.length;
    members.forEach((m, r) => (result[m] = Float32Array.from(flat.subarray(r * k, (r + 1) * k))));
  }
  return result;
}

export async function evaluateNetwork(net: Network, data: Encoded, k: number, cfg: { batchSize: number; maxLen: number }) {
  const probs = await predictNetwork(net, data, Math.max(cfg.batchSize, 256), cfg.maxLen);
  const pred = probs.map(argmax);
  let loss = 0;
  let right = 0;
  probs.forEach((p, i) => {
    loss -= Math.log(Math.max(p[data.labels[i]], 1e-15));
    if (pred[i] === data.labels[i]) right++;
  });
  return { loss: loss / probs.length, accuracy: right / probs.length, macroF1: macroF1(data.labels, pred, k) };
}

/** sqrt of the sum of squares of every element of every tensor (a gradient's or the weights'). */
export function globalNormTensor(ts: tf.Tensor[]): tf.Tensor {
  // Pairwise adds, not addN: WebGPU's AddN binds every input at once and exceeds the
  // storage-buffer limit of some adapters (SwiftShader) for models with many variables.
  return tf.sqrt(ts.map((t) => tf.sum(tf.square(t))).reduce((a, b) => tf.add(a, b)));
}

export async function globalNorm(vars: tf.Variable[]): Promise<number> {
  const n = tf.tidy(() => globalNormTensor(vars));
  const value = (await n.data())[0];
  n.dispose();
  return value;
}

export function isBetter(metric: 'val_loss' | 'val_accuracy' | 'val_macroF1', value: number, best: number | undefined, minDelta: number): boolean {
  if (best === undefined) return true;
  return metric === 'val_loss' ? value < best - minDelta : value > best + minDelta;
}
