/**
 * Fits a checkpoint's weights to the model a run needs, as transformers' from_pretrained does
 * for a sequence classifier: encoder weights must all be there with the right shapes; a head
 * (pooler, classifier) the checkpoint lacks, or has for another number of labels, starts fresh
 * (normal(0, initializer_range), zero biases, identity LayerNorm); weights the classifier does
 * not use (a pre-training head) are dropped.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FloatTensor, HfCheckpoint } from './checkpoint';
import type { HfConfig } from './types';

export interface FittedWeights {
  weights: Record<string, FloatTensor | tf.Tensor>;
  /** Weights initialised fresh (what transformers warns about as newly initialized). */
  initialised: string[];
  /** Checkpoint tensors the model does not use. */
  dropped: string[];
}

/** Labels of the config: id2label's size, else num_labels, else 2 (transformers' default). */
export function configLabels(config: HfConfig): number {
  const id2label = config.id2label as Record<string, string> | undefined;
  if (id2label && Object.keys(id2label).length) return Object.keys(id2label).length;
  return typeof config.num_labels === 'number' ? config.num_labels : 2;
}

/** The value transformers' _init_weights gives a weight of this name and shape. */
export function initialWeight(name: string, shape: number[], config: HfConfig, seed: number): tf.Tensor {
  const std = typeof config.initializer_range === 'number' ? config.initializer_range : 0.02;
  if (/(LayerNorm|layer_norm|layernorm)\.weight$/.test(name)) return tf.ones(shape);
  if (shape.length === 1) return tf.zeros(shape);
  return tf.randomNormal(shape, 0, std, 'float32', seed);
}

export function fitWeights(c: HfCheckpoint, numLabels: number, seed: number): FittedWeights {
  const shapes = c.architecture.weightShapes?.(c.config, numLabels);
  if (!shapes) return { weights: c.weights, initialised: [], dropped: [] };
  const base = `${c.architecture.prefix}.`;
  const weights: FittedWeights['weights'] = {};
  const initialised: string[] = [];
  const missing: string[] = [];
  const mismatched: string[] = [];
  let i = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const have = c.weights[name];
    const fits = have && have.shape.length === shape.length && have.shape.every((d, k) => d === shape[k]);
    if (fits) weights[name] = have;
    else if (!name.startsWith(base) || /\.pooler\./.test(name)) {
      weights[name] = initialWeight(name, shape, c.config, seed + i++);
      initialised.push(name);
    } else if (have) mismatched.push(`${name} ${JSON.stringify(have.shape)} (expected ${JSON.stringify(shape)})`);
    else missing.push(name);
  }
  if (missing.length) throw new Error(`the checkpoint lacks ${missing.length} encoder weight(s): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`);
  if (mismatched.length) throw new Error(`checkpoint weights do not match config.json: ${mismatched.slice(0, 5).join('; ')}`);
  return { weights, initialised, dropped: Object.keys(c.weights).filter((n) => !(n in shapes)) };
}
