/**
 * Adversarial training on the embedding output: a perturbation r of the embeddings that raises
 * the loss, and the parameters' gradients at the perturbed input.
 * - FGM (Miyato et al. 2017): r = epsilon * g / ||g||, g the loss's gradient in the embedding
 *   output, ||g|| over the whole batch; the update sums the clean and the adversarial gradients.
 * - PGD (Madry et al. 2018): `steps` ascent steps of `alpha` along each example's normalised
 *   gradient, projected back to that example's epsilon ball; clean + final adversarial gradients.
 * - FreeLB (Zhu et al. 2020): `steps` ascent steps from r = 0; the parameters' gradients of every
 *   step are averaged (the first step is the clean loss).
 * The functions see the model only through `gradsAt`, so any loop whose network exposes its
 * embedding output can use them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AdversarialConfig } from './config';

/** Guards a zero gradient's norm (a batch whose loss is flat in the embeddings). */
const TINY = 1e-12;

/** Each example's L2 norm over all its other dimensions, shaped to broadcast against x: [B, 1, …]. */
function rowNorms(x: tf.Tensor): tf.Tensor {
  const axes = x.shape.map((_, i) => i).slice(1);
  return tf.sqrt(tf.sum(tf.square(x), axes, true));
}

/** FGM's perturbation: epsilon * g / ||g||, the norm over the whole tensor. */
export function fgmPerturbation(g: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => tf.mul(g, tf.div(epsilon, tf.add(tf.norm(g), TINY))));
}

/** Scales each example's row of delta back into the L2 ball of radius epsilon (rows inside stay). */
export function projectToBall(delta: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => tf.mul(delta, tf.minimum(1, tf.div(epsilon, tf.add(rowNorms(delta), TINY)))));
}

/** One ascent step: delta + alpha * g / ||g|| per example, projected to the epsilon ball. */
export function ascentStep(delta: tf.Tensor, g: tf.Tensor, alpha: number, epsilon: number): tf.Tensor {
  return tf.tidy(() => projectToBall(tf.add(delta, tf.mul(g, tf.div(alpha, tf.add(rowNorms(g), TINY)))), epsilon));
}

/** What one forward and backward pass at a perturbation gives. */
export interface PerturbedGrads {
  /** The loss (a scalar). */
  value: tf.Tensor;
  /** Gradients of the parameters, in a fixed order; empty when they were not asked for. */
  params: tf.Tensor[];
  /** Gradient of the loss in the perturbation (the embedding output's shape). */
  delta: tf.Tensor;
}

/**
 * The parameters' gradients of one batch under adversarial training, and the clean loss.
 * `gradsAt(delta, params)` runs the model with `delta` added to its embedding output (same
 * dropout masks on every call) and returns the loss's gradients; `params: false` lets it skip the
 * parameters' gradients. Tensors the steps make are released; the result belongs to the caller.
 */
export function adversarialGradients(
  cfg: AdversarialConfig,
  shape: number[],
  gradsAt: (delta: tf.Tensor, params: boolean) => PerturbedGrads,
): { value: tf.Tensor; params: tf.Tensor[] } {
  return tf.tidy(() => {
    const clean = gradsAt(tf.zeros(shape), true);
    if (cfg.method === 'fgm') {
      const adv = gradsAt(fgmPerturbation(clean.delta, cfg.epsilon), true);
      return { value: clean.value, params: clean.params.map((g, i) => tf.add(g, adv.params[i])) };
    }
    let delta = ascentStep(tf.zerosLike(clean.delta), clean.delta, cfg.alpha, cfg.epsilon);
    if (cfg.method === 'pgd') {
      for (let t = 1; t < cfg.steps; t++) delta = ascentStep(delta, gradsAt(delta, false).delta, cfg.alpha, cfg.epsilon);
      const adv = gradsAt(delta, true);
      return { value: clean.value, params: clean.params.map((g, i) => tf.add(g, adv.params[i])) };
    }
    // FreeLB: the clean pass is the first of the `steps` whose gradients are averaged.
    let sum = clean.params;
    for (let t = 1; t < cfg.steps; t++) {
      const at = gradsAt(delta, true);
      sum = sum.map((g, i) => tf.add(g, at.params[i]));
      if (t + 1 < cfg.steps) delta = ascentStep(delta, at.delta, cfg.alpha, cfg.epsilon);
    }
    return { value: clean.value, params: sum.map((g) => tf.div(g, cfg.steps)) };
  });
}

/** Forward-backward passes one batch costs under the method (for cost notes and estimates). */
export function adversarialPasses(cfg: AdversarialConfig): number {
  return cfg.method === 'fgm' ? 2 : cfg.method === 'pgd' ? cfg.steps + 1 : cfg.steps;
}
