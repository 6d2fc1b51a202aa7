/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015): the student learns from the labels and
 * from a teacher's softened probabilities,
 *   loss = alpha * CE(y, softmax(z)) + (1 - alpha) * T^2 * KL(q_T || softmax(z / T)),
 * where q_T = softmax(log q / T) softens the teacher's probabilities q (log q are the teacher's
 * logits up to a constant, which softmax ignores, so stored probabilities are enough). The T^2
 * keeps the soft term's gradient, (1 - alpha) * T * (p_T - q_T), on the scale of the hard one's as
 * T grows. Two versions of the same maths: TF.js tensors for the training loop, plain arrays for
 * the fastText CPU trainer's per-example SGD.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../util/errors';

export interface DistillSettings {
  /** Weight of the hard-label cross-entropy, in [0, 1]; 1 ignores the teacher. */
  alpha: number;
  /** Softening temperature, > 0; 1 uses the teacher's probabilities as they are. */
  temperature: number;
}

export function checkDistillSettings(s: DistillSettings): void {
  if (!(s.alpha >= 0 && s.alpha <= 1)) throw new ConfigError(`distillation alpha must be in [0, 1], got ${s.alpha}`);
  if (!(s.temperature > 0) || !Number.isFinite(s.temperature)) throw new ConfigError(`distillation temperature must be positive, got ${s.temperature}`);
}

/**
 * Soft targets a fit receives: one row of K probabilities per training example, and valid
 * settings. A row count that differs from the training set means the teacher scored other texts.
 */
export function checkSoftTargets(t: DistillSettings & { probs: ArrayLike<number>[] }, examples: number, classes: number): void {
  checkDistillSettings(t);
  if (t.probs.length !== examples)
    throw new ConfigError(
      `distillation: the teacher gave ${t.probs.length} rows of probabilities for ${examples} training examples; they must be the same texts in the same order`,
    );
  t.probs.forEach((row, i) => {
    if (row.length !== classes) throw new ConfigError(`distillation: the teacher's row ${i} has ${row.length} probabilities for ${classes} classes`);
    for (let c = 0; c < classes; c++) if (!(row[c] >= 0 && row[c] <= 1 + 1e-4)) throw new ConfigError(`distillation: the teacher's row ${i} holds ${row[c]}, not a probability`);
  });
}

/** Floor for the teacher's probabilities before the log: a zero would make the soft target undefined. */
const FLOOR = 1e-12;

/**
 * The batch-mean distillation loss for student logits [b, K], integer labels [b] and the
 * teacher's (unsoftened) probabilities [b, K]. Gradients flow to the logits only.
 */
export function distillLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, teacherProbs: tf.Tensor2D, s: DistillSettings): tf.Scalar {
  checkDistillSettings(s);
  const { alpha, temperature: T } = s;
  return tf.tidy(() => {
    const k = logits.shape[1];
    const logP = tf.logSoftmax(logits);
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, k), logP), 1)));
    // The soft targets depend on teacherProbs only, so they are constants for the gradient in the logits.
    const logQT = tf.logSoftmax(tf.div(tf.log(tf.maximum(teacherProbs, FLOOR)), T));
    const qT = tf.exp(logQT);
    const logPT = tf.logSoftmax(tf.div(logits, T));
    const kl = tf.mean(tf.sum(tf.mul(qT, tf.sub(logQT, logPT)), 1));
    return tf.add(tf.mul(alpha, ce), tf.mul((1 - alpha) * T * T, kl)) as tf.Scalar;
  });
}

function logSoftmaxInto(z: ArrayLike<number>, scale: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) max = Math.max(max, z[c] * scale);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += Math.exp(z[c] * scale - max);
  const lse = Math.log(sum) + max;
  for (let c = 0; c < z.length; c++) out[c] = z[c] * scale - lse;
}

/** The teacher's probabilities softened at temperature T: softmax(log q / T). */
export function softenProbabilities(teacherProbs: ArrayLike<number>, T: number): Float64Array {
  const logs = Float64Array.from(teacherProbs, (q) => Math.log(Math.max(q, FLOOR)));
  const out = new Float64Array(logs.length);
  logSoftmaxInto(logs, 1 / T, out);
  for (let c = 0; c < out.length; c++) out[c] = Math.exp(out[c]);
  return out;
}

/**
 * One example's distillation loss and its gradient with respect to the student's logits,
 * written into `grad` (length K): alpha * (p - onehot(y)) + (1 - alpha) * T * (p_T - q_T).
 * Log-probabilities work as `logits` (softmax does not see a constant shift). `softTarget` is
 * softenProbabilities(teacher, T), computed once per example rather than at every step.
 */
export function softTargetGradient(logits: ArrayLike<number>, label: number, softTarget: ArrayLike<number>, s: DistillSettings, grad: Float64Array): number {
  const { alpha, temperature: T } = s;
  const K = logits.length;
  const logP = new Float64Array(K);
  const logPT = new Float64Array(K);
  logSoftmaxInto(logits, 1, logP);
  logSoftmaxInto(logits, 1 / T, logPT);
  let kl = 0;
  for (let c = 0; c < K; c++) {
    const q = softTarget[c];
    if (q > 0) kl += q * (Math.log(q) - logPT[c]);
    grad[c] = alpha * (Math.exp(logP[c]) - (c === label ? 1 : 0)) + (1 - alpha) * T * (Math.exp(logPT[c]) - q);
  }
  return alpha * -logP[label] + (1 - alpha) * T * T * kl;
}
