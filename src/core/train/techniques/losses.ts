/**
 * The losses the training techniques form from logits, as differentiable TF.js functions that any
 * loop (the neural one here, the pretrained one) can call:
 * - the hard-label term against a target distribution (one-hot, label-smoothed or mixup's mixed
 *   labels), with focal modulation (Lin et al. 2017) and per-class weights;
 * - R-Drop's symmetric KL between two dropout passes (Liang et al. 2021);
 * - scikit-learn's 'balanced' class weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../util/errors';

export interface HardLossOptions {
  /** Label smoothing of the targets: q = (1 - s) * targets + s / K (as tf.losses.softmaxCrossEntropy and PyTorch). */
  labelSmoothing: number;
  /** Focal exponent: each class's term is scaled by (1 - p_c)^gamma; 0 is cross-entropy. */
  gamma: number;
  /** One weight per class; an example's weight is its (unsmoothed, possibly mixed) target row · weights. */
  classWeights?: ArrayLike<number>;
  /**
   * How weighted terms are averaged: 'weights' divides by the sum of the examples' weights
   * (PyTorch's CrossEntropyLoss(weight=...) with reduction 'mean'); 'count' by the batch size
   * (the focal loss's alpha_t, as Lin et al. average over examples).
   */
  normalize: 'weights' | 'count';
}

/**
 * Per-example loss -sum_c q_c (1 - p_c)^gamma log p_c for logits [B, K] and targets q [B, K]
 * (rows summing to 1). With one-hot q it is the focal loss -(1 - p_y)^gamma log p_y; at gamma 0
 * the cross-entropy against q.
 */
export function focalTerms(logits: tf.Tensor2D, targets: tf.Tensor2D, gamma: number): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits);
    const terms = gamma === 0 ? tf.mul(targets, logP) : tf.mul(tf.mul(targets, tf.pow(tf.sub(1, tf.exp(logP)), gamma)), logP);
    return tf.neg(tf.sum(terms, 1)) as tf.Tensor1D;
  });
}

/** The hard-label term of a batch (a scalar) for logits [B, K] and unsmoothed targets [B, K]. */
export function hardLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, opts: HardLossOptions): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const q = opts.labelSmoothing > 0 ? tf.add(tf.mul(targets, 1 - opts.labelSmoothing), opts.labelSmoothing / k) : targets;
    const terms = focalTerms(logits, q as tf.Tensor2D, opts.gamma);
    if (!opts.classWeights) return tf.mean(terms) as tf.Scalar;
    const w = tf.squeeze(tf.matMul(targets, tf.tensor2d(Float32Array.from(opts.classWeights), [k, 1])), [1]);
    const total = tf.sum(tf.mul(terms, w));
    return (opts.normalize === 'weights' ? tf.div(total, tf.sum(w)) : tf.div(total, terms.shape[0])) as tf.Scalar;
  });
}

/**
 * R-Drop's regulariser: 0.5 * (KL(p1 || p2) + KL(p2 || p1)), summed over classes and averaged
 * over the batch, for the logits of two dropout passes over the same inputs. Gradients flow into
 * both passes, as in the authors' code.
 */
export function symmetricKl(logits1: tf.Tensor2D, logits2: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const l1 = tf.logSoftmax(logits1);
    const l2 = tf.logSoftmax(logits2);
    const diff = tf.sub(l1, l2);
    // p1 (l1 - l2) + p2 (l2 - l1) = (p1 - p2)(l1 - l2)
    const both = tf.sum(tf.mul(tf.sub(tf.exp(l1), tf.exp(l2)), diff), 1);
    return tf.mul(0.5, tf.mean(both)) as tf.Scalar;
  });
}

/** R-Drop's loss from the two passes' task losses and logits: mean of both + alpha * symmetric KL. */
export function rdropLoss(loss1: tf.Scalar, loss2: tf.Scalar, logits1: tf.Tensor2D, logits2: tf.Tensor2D, alpha: number): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mul(0.5, tf.add(loss1, loss2)), tf.mul(alpha, symmetricKl(logits1, logits2))) as tf.Scalar);
}

/** scikit-learn's compute_class_weight('balanced'): n / (K * count_c). A class with no example is an error there too. */
export function balancedWeights(labels: ArrayLike<number>, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  const empty = counts.findIndex((c) => c === 0);
  if (empty >= 0) throw new ConfigError(`class weights 'balanced': class ${empty} has no training example`);
  return counts.map((c) => labels.length / (k * c));
}

/**
 * The per-class weights a config asks for (`field` names it in errors): 'balanced' from the
 * training labels, or the given list, which must have one positive weight per class.
 */
export function resolveClassWeights(spec: 'balanced' | number[] | null | undefined, labels: ArrayLike<number>, k: number, field: string): number[] | undefined {
  if (!spec) return undefined;
  if (spec === 'balanced') return balancedWeights(labels, k);
  if (spec.length !== k) throw new ConfigError(`${field}: ${spec.length} weights for ${k} classes; give one per class, in the dataset's class order`);
  return spec;
}
