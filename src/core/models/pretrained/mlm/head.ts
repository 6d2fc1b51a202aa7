/**
 * The masked-language-model heads of the encoders pretraining supports, under transformers' own
 * state-dict names: dense -> activation -> LayerNorm -> decoder tied to the word embeddings, plus
 * an output bias per token. A checkpoint that carries the head (a *ForMaskedLM or *ForPreTraining
 * save) gives it; a sequence classifier or bare encoder gets a fresh one, seeded, as
 * transformers' _init_weights draws it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FloatTensor, HfCheckpoint } from '../checkpoint';
import { initialWeight } from '../fit-weights';
import { activation, num } from '../ops';
import type { HfConfig } from '../types';

export interface MlmHeadSpec {
  /** model_type of config.json. */
  modelType: string;
  /** The *ForMaskedLM class the saved config.json names. */
  architecture: string;
  dense: string;
  layerNorm: string;
  /** The output bias's name, then names older saves use for the same tensor (the decoder's tied bias). */
  bias: string[];
  activation(config: HfConfig): string;
  eps(config: HfConfig): number;
  /** Hidden width the head works at. */
  width(config: HfConfig): number;
}

const SPECS: MlmHeadSpec[] = [
  {
    modelType: 'bert',
    architecture: 'BertForMaskedLM',
    dense: 'cls.predictions.transform.dense',
    layerNorm: 'cls.predictions.transform.LayerNorm',
    bias: ['cls.predictions.bias', 'cls.predictions.decoder.bias'],
    activation: (c) => String(c.hidden_act ?? 'gelu'),
    eps: (c) => num(c, 'layer_norm_eps', 1e-12),
    width: (c) => num(c, 'hidden_size'),
  },
  {
    modelType: 'distilbert',
    architecture: 'DistilBertForMaskedLM',
    dense: 'vocab_transform',
    layerNorm: 'vocab_layer_norm',
    bias: ['vocab_projector.bias'],
    activation: (c) => String(c.activation ?? 'gelu'),
    // DistilBertForMaskedLM fixes its head's eps, whatever config.json says.
    eps: () => 1e-12,
    width: (c) => num(c, 'dim'),
  },
  {
    modelType: 'roberta',
    architecture: 'RobertaForMaskedLM',
    dense: 'lm_head.dense',
    layerNorm: 'lm_head.layer_norm',
    bias: ['lm_head.bias', 'lm_head.decoder.bias'],
    // RobertaLMHead calls gelu directly, not the config's hidden_act.
    activation: () => 'gelu',
    eps: (c) => num(c, 'layer_norm_eps', 1e-12),
    width: (c) => num(c, 'hidden_size'),
  },
];

export const MLM_MODEL_TYPES = SPECS.map((s) => s.modelType);

/** The head of this config's architecture; throws naming what is supported otherwise. */
export function mlmHeadSpec(config: HfConfig): MlmHeadSpec {
  const spec = SPECS.find((s) => s.modelType === config.model_type);
  if (!spec) {
    const hint = config.model_type === 'electra' ? " (ELECTRA's generator is a different model than its discriminator)" : '';
    throw new Error(`masked-language-model pretraining supports model_type ${MLM_MODEL_TYPES.join(', ')}; got '${config.model_type}'${hint}`);
  }
  if (config.tie_word_embeddings === false) throw new Error(`${spec.architecture}: tie_word_embeddings false is not supported (the decoder is tied to the word embeddings)`);
  activation(spec.activation(config));
  return spec;
}

/** The head's own tensors (the tied decoder weight excluded) by name and shape. */
export function mlmHeadShapes(spec: MlmHeadSpec, config: HfConfig): Record<string, number[]> {
  const h = spec.width(config);
  return {
    [`${spec.dense}.weight`]: [h, h],
    [`${spec.dense}.bias`]: [h],
    [`${spec.layerNorm}.weight`]: [h],
    [`${spec.layerNorm}.bias`]: [h],
    [spec.bias[0]]: [num(config, 'vocab_size')],
  };
}

export interface LoadedHead {
  tensors: Map<string, tf.Tensor>;
  /** True when the checkpoint had no head and it was drawn fresh. */
  fresh: boolean;
}

/**
 * The checkpoint's head, or a fresh one when it has none (a checkpoint with part of a head is
 * refused: that is a broken save, not a choice). Tensors are the caller's to dispose.
 */
export function loadMlmHead(c: HfCheckpoint, seed: number): LoadedHead {
  const spec = mlmHeadSpec(c.config);
  const shapes = mlmHeadShapes(spec, c.config);
  const found = new Map<string, FloatTensor>();
  for (const name of Object.keys(shapes)) {
    const aliases = name === spec.bias[0] ? spec.bias : [name];
    const t = aliases.map((a) => c.weights[a]).find((x) => x !== undefined);
    if (t) found.set(name, t);
  }
  const tensors = new Map<string, tf.Tensor>();
  if (found.size === 0) {
    let i = 0;
    for (const [name, shape] of Object.entries(shapes)) tensors.set(name, initialWeight(name, shape, c.config, seed + i++));
    return { tensors, fresh: true };
  }
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(shapes)) {
    const t = found.get(name);
    if (!t) problems.push(`${name} is missing`);
    else if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k]))
      problems.push(`${name} has shape ${JSON.stringify(t.shape)} (expected ${JSON.stringify(shape)})`);
  }
  if (problems.length) throw new Error(`the checkpoint's ${spec.architecture} head is incomplete: ${problems.join('; ')}`);
  for (const [name, t] of found) tensors.set(name, tf.tensor(t.data, t.shape, 'float32'));
  return { tensors, fresh: false };
}

/**
 * Vocabulary logits [M, V] of hidden states [M, H]: the head's transform, then the tied decoder
 * (x E^T) plus the output bias.
 */
export function mlmLogits(spec: MlmHeadSpec, config: HfConfig, param: (name: string) => tf.Tensor, wordEmbeddings: tf.Tensor, hidden: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const dense = tf.add(tf.matMul(hidden, param(`${spec.dense}.weight`) as tf.Tensor2D, false, true), param(`${spec.dense}.bias`));
    const act = activation(spec.activation(config))(dense);
    const { mean, variance } = tf.moments(act, -1, true);
    const normed = tf.mul(tf.sub(act, mean), tf.rsqrt(tf.add(variance, spec.eps(config))));
    const x = tf.add(tf.mul(normed, param(`${spec.layerNorm}.weight`)), param(`${spec.layerNorm}.bias`)) as tf.Tensor2D;
    return tf.add(tf.matMul(x, wordEmbeddings as tf.Tensor2D, false, true), param(spec.bias[0])) as tf.Tensor2D;
  });
}
