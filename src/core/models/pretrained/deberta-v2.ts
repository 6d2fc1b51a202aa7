/**
 * DeBERTa-v2 and DeBERTa-v3 (`model_type` "deberta-v2", `DebertaV2ForSequenceClassification`)
 * as transformers computes them: word embeddings without absolute positions (v3), disentangled
 * relative attention over log-bucketed distances (deberta-v2-attention.ts), relative embeddings
 * normalised by the encoder's LayerNorm, the ConvLayer after the first layer (v2 xlarge/xxlarge),
 * and the ContextPooler (dense + activation on the first token) before the classifier.
 */
import * as tf from '@tensorflow/tfjs-core';
import { disentangledSelfAttention, relativeGatherIndex, relativePositions, type AttentionInputs, type DisentangledOptions } from './deberta-v2-attention';
import { embeddingOutput } from './hooks';
import { ACTIVATION_NAMES, activation, firstToken, layerNorm, num } from './ops';
import type { EncoderArchitecture, EncoderContext, EncoderInputs, EncoderOutputs, HfConfig } from './types';

const PREFIX = 'deberta';

interface DebertaOptions {
  layers: number;
  hidden: number;
  eps: number;
  hiddenAct: string;
  poolerAct: string;
  hiddenDropout: number;
  poolerDropout: number;
  clsDropout: number;
  positionBiasedInput: boolean;
  typeVocab: number;
  normRelEmbeddings: boolean;
  /** The ConvLayer after the first layer (DeBERTa-v2 xlarge/xxlarge); kernel 0: none. */
  conv: { kernel: number; groups: number; act: string };
  attention: DisentangledOptions;
}

/** pos_att_type as a list: config.json has a list, older configs a "p2c|c2p" string. */
function positionTerms(config: HfConfig): string[] {
  const v = config.pos_att_type;
  if (v == null) return [];
  if (typeof v === 'string')
    return v
      .toLowerCase()
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v)) return v.map((s) => String(s).toLowerCase());
  throw new Error(`deberta-v2: pos_att_type ${JSON.stringify(v)} is neither a list nor a "p2c|c2p" string`);
}

function normRelKinds(config: HfConfig): string[] {
  const v = config.norm_rel_ebd ?? 'none';
  return String(v)
    .toLowerCase()
    .split('|')
    .map((s) => s.trim());
}

function options(config: HfConfig): DebertaOptions {
  const hidden = num(config, 'hidden_size', 0);
  const heads = num(config, 'num_attention_heads', 0);
  const hiddenDropout = num(config, 'hidden_dropout_prob', 0.1);
  const terms = positionTerms(config);
  const maxPositions = num(config, 'max_position_embeddings', 512);
  const maxRelative = num(config, 'max_relative_positions', -1) < 1 ? maxPositions : num(config, 'max_relative_positions', -1);
  const buckets = num(config, 'position_buckets', -1);
  return {
    layers: num(config, 'num_hidden_layers', 0),
    hidden,
    eps: num(config, 'layer_norm_eps', 1e-7),
    hiddenAct: String(config.hidden_act ?? 'gelu'),
    poolerAct: String(config.pooler_hidden_act ?? 'gelu'),
    hiddenDropout,
    poolerDropout: num(config, 'pooler_dropout', 0),
    clsDropout: num(config, 'cls_dropout', hiddenDropout),
    positionBiasedInput: config.position_biased_input !== false,
    typeVocab: num(config, 'type_vocab_size', 0),
    normRelEmbeddings: normRelKinds(config).includes('layer_norm'),
    conv: { kernel: num(config, 'conv_kernel_size', 0), groups: num(config, 'conv_groups', 1), act: String(config.conv_act ?? 'tanh') },
    attention: {
      heads,
      headSize: num(config, 'attention_head_size', 0) || hidden / heads,
      relative: config.relative_attention === true,
      c2p: terms.includes('c2p'),
      p2c: terms.includes('p2c'),
      shareKey: config.share_att_key === true,
      buckets,
      maxRelative,
      span: buckets > 0 ? buckets : maxRelative,
      attentionDropout: num(config, 'attention_probs_dropout_prob', 0.1),
      hiddenDropout,
    },
  };
}

function validate(config: HfConfig): void {
  const problems: string[] = [];
  if (config.model_type !== 'deberta-v2') problems.push(`model_type "${config.model_type}" (this file reads "deberta-v2")`);
  const hidden = num(config, 'hidden_size', 0);
  const heads = num(config, 'num_attention_heads', 0);
  if (!(hidden > 0) || !(heads > 0) || !(num(config, 'num_hidden_layers', 0) > 0)) problems.push('hidden_size, num_attention_heads and num_hidden_layers must be positive');
  else if (!num(config, 'attention_head_size', 0) && hidden % heads !== 0) problems.push(`hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`);
  const kernel = num(config, 'conv_kernel_size', 0);
  // An even kernel with torch's padding (k-1)//2 shortens the sequence; no checkpoint uses one.
  if (kernel > 0 && kernel % 2 === 0) problems.push(`conv_kernel_size ${kernel} (only odd kernels keep the sequence length)`);
  const groups = num(config, 'conv_groups', 1);
  if (kernel > 0 && (groups < 1 || hidden % groups !== 0)) problems.push(`conv_groups ${groups} does not divide hidden_size ${hidden}`);
  const poolerSize = num(config, 'pooler_hidden_size', hidden);
  if (poolerSize !== hidden) problems.push(`pooler_hidden_size ${poolerSize} != hidden_size ${hidden} (the ContextPooler maps hidden states to themselves)`);
  const embeddingSize = num(config, 'embedding_size', hidden);
  if (embeddingSize !== hidden) problems.push(`embedding_size ${embeddingSize} != hidden_size ${hidden} (embed_proj is not implemented)`);
  let terms: string[] = [];
  try {
    terms = positionTerms(config);
  } catch (e) {
    problems.push((e as Error).message);
  }
  const unknownTerms = terms.filter((t) => t !== 'c2p' && t !== 'p2c');
  if (unknownTerms.length) problems.push(`pos_att_type ${JSON.stringify(unknownTerms)} (only "c2p" and "p2c" exist in deberta-v2)`);
  const unknownNorms = normRelKinds(config).filter((k) => k !== 'none' && k !== 'layer_norm');
  if (unknownNorms.length) problems.push(`norm_rel_ebd ${JSON.stringify(unknownNorms)} (only "layer_norm" or "none")`);
  for (const [key, fallback] of [
    ['hidden_act', 'gelu'],
    ['pooler_hidden_act', 'gelu'],
    ['conv_act', 'tanh'],
  ]) {
    const act = config[key] ?? fallback;
    if (typeof act !== 'string' || !ACTIVATION_NAMES.includes(act)) problems.push(`${key} ${JSON.stringify(act)} (supported: ${ACTIVATION_NAMES.join(', ')})`);
  }
  if (problems.length) throw new Error(`deberta-v2: unsupported config: ${problems.join('; ')}`);
}

/** DebertaV2Embeddings: sum, LayerNorm, then padding positions zeroed (as `embeddings * mask`). */
function embed(ctx: EncoderContext, o: DebertaOptions, inputs: EncoderInputs): tf.Tensor3D {
  const [b, len] = inputs.inputIds.shape;
  const p = `${PREFIX}.embeddings`;
  let x = tf.reshape(tf.gather(ctx.param(`${p}.word_embeddings.weight`), tf.reshape(inputs.inputIds, [-1])), [b, len, o.hidden]);
  if (o.positionBiasedInput) x = tf.add(x, tf.slice(ctx.param(`${p}.position_embeddings.weight`), [0, 0], [len, o.hidden]));
  // Token types are all 0 for single texts: row 0 of the table.
  if (o.typeVocab > 0) x = tf.add(x, tf.slice(ctx.param(`${p}.token_type_embeddings.weight`), [0, 0], [1, o.hidden]));
  const normed = tf.mul(layerNorm(ctx, `${p}.LayerNorm`, x, o.eps), tf.expandDims(tf.cast(inputs.attentionMask, 'float32'), 2));
  return ctx.dropout(normed, o.hiddenDropout) as tf.Tensor3D;
}

/** The constants every layer shares: extended mask, normalised relative embeddings, gather indices. */
function attentionInputs(ctx: EncoderContext, o: DebertaOptions, mask: tf.Tensor2D): AttentionInputs {
  const [b, len] = mask.shape;
  const m = tf.cast(mask, 'bool');
  const both = tf.logicalAnd(tf.reshape(m, [b, 1, 1, len]), tf.reshape(m, [b, 1, len, 1]));
  const a = o.attention;
  if (!a.relative) return { mask: both, relEmbeddings: null, c2pIndex: null, p2cIndex: null };
  let rel = ctx.param(`${PREFIX}.encoder.rel_embeddings.weight`) as tf.Tensor2D;
  if (rel.shape[0] < 2 * a.span) throw new Error(`deberta-v2: rel_embeddings has ${rel.shape[0]} rows, the config needs ${2 * a.span}`);
  if (o.normRelEmbeddings) rel = layerNorm(ctx, `${PREFIX}.encoder.LayerNorm`, rel, o.eps) as tf.Tensor2D;
  rel = tf.slice(rel, [0, 0], [2 * a.span, rel.shape[1]]);
  const positions = relativePositions(len, a.buckets, a.maxRelative);
  const index = (sign: 1 | -1) => tf.tensor1d(relativeGatherIndex(positions, len, a.span, sign), 'int32');
  return { mask: both, relEmbeddings: rel, c2pIndex: a.c2p ? index(1) : null, p2cIndex: a.p2c ? index(-1) : null };
}

/** DebertaV2Layer: attention, its output (dense + residual LayerNorm), then the feed-forward block. */
function layer(ctx: EncoderContext, o: DebertaOptions, l: number, x: tf.Tensor3D, shared: AttentionInputs): tf.Tensor3D {
  const p = `${PREFIX}.encoder.layer.${l}`;
  const self = disentangledSelfAttention(ctx, `${p}.attention.self`, x, shared, o.attention);
  const attended = layerNorm(ctx, `${p}.attention.output.LayerNorm`, tf.add(ctx.dropout(ctx.dense(`${p}.attention.output.dense`, self), o.hiddenDropout), x), o.eps);
  const inner = activation(o.hiddenAct)(ctx.dense(`${p}.intermediate.dense`, attended));
  const out = ctx.dropout(ctx.dense(`${p}.output.dense`, inner), o.hiddenDropout);
  return layerNorm(ctx, `${p}.output.LayerNorm`, tf.add(out, attended), o.eps) as tf.Tensor3D;
}

/**
 * ConvLayer: a 1-D convolution over the encoder's input (the embeddings), activated, added to the
 * first layer's output and normalised. transformers also zeroes the convolution at padding before
 * the activation; padding rows are zeroed at the end and no token attends to them, so that
 * first zeroing cannot change any output and is left out.
 */
function convLayer(ctx: EncoderContext, o: DebertaOptions, embedded: tf.Tensor3D, residual: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor3D {
  const p = `${PREFIX}.encoder.conv`;
  // torch's Conv1d weight is [out, in / groups, kernel]; TF.js wants [kernel, in, out] per group.
  const filter = tf.transpose(ctx.param(`${p}.conv.weight`), [2, 1, 0]) as tf.Tensor3D;
  const { groups } = o.conv;
  const inputs = groups === 1 ? [embedded] : tf.split(embedded, groups, 2);
  const filters = groups === 1 ? [filter] : tf.split(filter, groups, 2);
  const convolved = inputs.map((x, g) => tf.conv1d(x as tf.Tensor3D, filters[g] as tf.Tensor3D, 1, 'same'));
  const summed = tf.add(groups === 1 ? convolved[0] : tf.concat(convolved, 2), ctx.param(`${p}.conv.bias`));
  const out = activation(o.conv.act)(ctx.dropout(summed, o.hiddenDropout));
  const tokens = tf.expandDims(tf.cast(mask, 'float32'), 2);
  return tf.mul(layerNorm(ctx, `${p}.LayerNorm`, tf.add(residual, out), o.eps), tokens) as tf.Tensor3D;
}

/** ContextPooler (first token, dropout, dense, activation), dropout, classifier. */
function classify(ctx: EncoderContext, o: DebertaOptions, hidden: tf.Tensor3D): tf.Tensor2D {
  const first = ctx.dropout(firstToken(hidden), o.poolerDropout);
  const pooled = activation(o.poolerAct)(ctx.dense('pooler.dense', first));
  return ctx.dense('classifier', ctx.dropout(pooled, o.clsDropout)) as tf.Tensor2D;
}

function forward(config: HfConfig, inputs: EncoderInputs, ctx: EncoderContext): EncoderOutputs {
  const o = options(config);
  return tf.tidy(() => {
    const shared = attentionInputs(ctx, o, inputs.attentionMask);
    const embedded = embeddingOutput(ctx, embed(ctx, o, inputs)) as tf.Tensor3D;
    let x = embedded;
    for (let l = 0; l < o.layers; l++) {
      x = layer(ctx, o, l, x, shared);
      if (l === 0 && o.conv.kernel > 0) x = convLayer(ctx, o, embedded, x, inputs.attentionMask);
    }
    return { lastHidden: x, logits: classify(ctx, o, x) };
  });
}

/** Every weight DebertaV2ForSequenceClassification holds for this config, by prefixed name. */
function weightShapes(config: HfConfig, numLabels: number): Record<string, number[]> {
  const o = options(config);
  const { hidden: h, attention: a } = o;
  const inner = a.heads * a.headSize;
  const ffn = num(config, 'intermediate_size');
  const e = `${PREFIX}.embeddings`;
  const shapes: Record<string, number[]> = { [`${e}.word_embeddings.weight`]: [num(config, 'vocab_size'), h] };
  if (o.positionBiasedInput) shapes[`${e}.position_embeddings.weight`] = [num(config, 'max_position_embeddings', 512), h];
  if (o.typeVocab > 0) shapes[`${e}.token_type_embeddings.weight`] = [o.typeVocab, h];
  const linearShapes = (module: string, out: number, input: number) => {
    shapes[`${module}.weight`] = [out, input];
    shapes[`${module}.bias`] = [out];
  };
  const normShapes = (module: string) => {
    shapes[`${module}.weight`] = [h];
    shapes[`${module}.bias`] = [h];
  };
  normShapes(`${e}.LayerNorm`);
  if (a.relative) shapes[`${PREFIX}.encoder.rel_embeddings.weight`] = [2 * a.span, h];
  if (o.normRelEmbeddings) normShapes(`${PREFIX}.encoder.LayerNorm`);
  for (let l = 0; l < o.layers; l++) {
    const p = `${PREFIX}.encoder.layer.${l}`;
    for (const m of ['query_proj', 'key_proj', 'value_proj']) linearShapes(`${p}.attention.self.${m}`, inner, h);
    if (a.relative && !a.shareKey && a.c2p) linearShapes(`${p}.attention.self.pos_key_proj`, inner, h);
    if (a.relative && !a.shareKey && a.p2c) linearShapes(`${p}.attention.self.pos_query_proj`, inner, h);
    linearShapes(`${p}.attention.output.dense`, h, inner);
    normShapes(`${p}.attention.output.LayerNorm`);
    linearShapes(`${p}.intermediate.dense`, ffn, h);
    linearShapes(`${p}.output.dense`, h, ffn);
    normShapes(`${p}.output.LayerNorm`);
  }
  if (o.conv.kernel > 0) {
    shapes[`${PREFIX}.encoder.conv.conv.weight`] = [h, h / o.conv.groups, o.conv.kernel];
    shapes[`${PREFIX}.encoder.conv.conv.bias`] = [h];
    normShapes(`${PREFIX}.encoder.conv.LayerNorm`);
  }
  linearShapes('pooler.dense', h, h);
  linearShapes('classifier', numLabels, h);
  return shapes;
}

export const debertaV2: EncoderArchitecture = {
  modelTypes: ['deberta-v2'],
  prefix: PREFIX,
  validate,
  // PEFT's TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING["deberta-v2"].
  defaultLoraTargets: ['query_proj', 'value_proj'],
  forward,
  weightShapes,
};
