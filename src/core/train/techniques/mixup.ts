/**
 * Mixup on sentence representations (Zhang et al. 2018; Guo et al. 2019 for text): each example's
 * pooled representation, its one-hot label (and a teacher's probabilities) are mixed with those of
 * a partner from the same batch, lambda ~ Beta(alpha, alpha). Lambda and the partners are drawn
 * from the project's seeded Rng, so a step draws the same mix on every run and after a resume.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/random';

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 through Gamma(shape + 1) * U^(1/shape). */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(Math.max(rng.next(), 1e-300), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Rng, a: number, b = a): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x + y > 0 ? x / (x + y) : 0.5;
}

export interface MixPlan {
  lambda: number;
  /** partner[i]: the batch row example i is mixed with (a seeded permutation). */
  partner: Int32Array;
}

/** The mix of one batch of `size` examples, drawn from `seed` alone (one seed per step). */
export function mixPlan(seed: number, size: number, alpha: number): MixPlan {
  const rng = new Rng(seed);
  const lambda = sampleBeta(rng, alpha);
  return { lambda, partner: Int32Array.from(rng.shuffle(Array.from({ length: size }, (_, i) => i))) };
}

/** lambda * x + (1 - lambda) * x[partner], along the first axis (representations, targets, teacher rows). */
export function mixRows<T extends tf.Tensor>(x: T, plan: MixPlan): T {
  return tf.tidy(() => tf.add(tf.mul(x, plan.lambda), tf.mul(tf.gather(x, tf.tensor1d(plan.partner, 'int32')), 1 - plan.lambda)) as T);
}
