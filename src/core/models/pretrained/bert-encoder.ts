/**
 * The embeddings and the post-LayerNorm encoder stack BERT, RoBERTa and ELECTRA share
 * (transformers' BertEmbeddings / BertLayer, copied into modeling_roberta and modeling_electra).
 */
import * as tf from '@tensorflow/tfjs-core';
import { embeddingOutput } from './hooks';
import { activation, layerNorm, num, selfAttention } from './ops';
import type { EncoderContext, HfConfig } from './types';

/** Config options the BERT family can carry that this implementation does not compute. */
export function validateBertFamily(config: HfConfig, name: string): void {
  const bad: string[] = [];
  const pos = config.position_embedding_type;
  if (pos !== undefined && pos !== null && pos !== 'absolute') bad.push(`position_embedding_type '${String(pos)}' (only 'absolute')`);
  if (config.is_decoder === true) bad.push('is_decoder: true');
  if (config.add_cross_attention === true) bad.push('add_cross_attention: true');
  activation(String(config.hidden_act ?? 'gelu'));
  const hidden = num(config, 'hidden_size');
  const heads = num(config, 'num_attention_heads');
  if (hidden % heads !== 0) bad.push(`hidden_size ${hidden} not divisible by num_attention_heads ${heads}`);
  if (bad.length) throw new Error(`${name}: unsupported config option(s): ${bad.join('; ')}`);
}

/** word + position + token type (all type 0) embeddings, LayerNorm, dropout. */
export function bertEmbeddings(ctx: EncoderContext, prefix: string, config: HfConfig, inputIds: tf.Tensor2D, positionIds: tf.Tensor2D): tf.Tensor {
  const [b, l] = inputIds.shape;
  const e = `${prefix}.embeddings`;
  const lookup = (table: tf.Tensor, ids: tf.Tensor) => {
    const rows = tf.gather(table, tf.reshape(ids, [-1]));
    return tf.reshape(rows, [b, l, table.shape[1]!]);
  };
  let x = tf.add(lookup(ctx.param(`${e}.word_embeddings.weight`), inputIds), lookup(ctx.param(`${e}.position_embeddings.weight`), positionIds));
  if (num(config, 'type_vocab_size', 2) > 0) {
    const typeTable = ctx.param(`${e}.token_type_embeddings.weight`);
    // Every token has type 0 for single-text classification: add row 0 broadcast.
    x = tf.add(x, tf.slice(typeTable, [0, 0], [1, typeTable.shape[1]!]));
  }
  x = layerNorm(ctx, `${e}.LayerNorm`, x, num(config, 'layer_norm_eps', 1e-12));
  return ctx.dropout(x, num(config, 'hidden_dropout_prob', 0.1));
}

/** Positions 0..L-1 for every row (BERT, ELECTRA). */
export function arangePositions(b: number, l: number): tf.Tensor2D {
  return tf.tile(tf.reshape(tf.range(0, l, 1, 'int32'), [1, l]), [b, 1]) as tf.Tensor2D;
}

/** The encoder stack over the embedding output x (after ELECTRA's projection), which a pass's hook may replace first. */
export function bertEncoder(ctx: EncoderContext, prefix: string, config: HfConfig, embedded: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  let x = embeddingOutput(ctx, embedded);
  const heads = num(config, 'num_attention_heads');
  const eps = num(config, 'layer_norm_eps', 1e-12);
  const hiddenDrop = num(config, 'hidden_dropout_prob', 0.1);
  const attnDrop = num(config, 'attention_probs_dropout_prob', 0.1);
  const act = activation(String(config.hidden_act ?? 'gelu'));
  for (let i = 0; i < num(config, 'num_hidden_layers'); i++) {
    const p = `${prefix}.encoder.layer.${i}`;
    const a = selfAttention(
      ctx,
      { query: `${p}.attention.self.query`, key: `${p}.attention.self.key`, value: `${p}.attention.self.value`, output: `${p}.attention.output.dense` },
      x,
      heads,
      bias,
      attnDrop,
    );
    const h = layerNorm(ctx, `${p}.attention.output.LayerNorm`, tf.add(ctx.dropout(a, hiddenDrop), x), eps);
    const inter = act(ctx.dense(`${p}.intermediate.dense`, h));
    const out = ctx.dropout(ctx.dense(`${p}.output.dense`, inter), hiddenDrop);
    x = layerNorm(ctx, `${p}.output.LayerNorm`, tf.add(out, h), eps);
  }
  return x;
}

/** Parameter shapes of the embeddings (of width `embed`) and the encoder stack, by state-dict name. */
export function bertFamilyShapes(prefix: string, config: HfConfig, embed: number): Record<string, number[]> {
  const h = num(config, 'hidden_size');
  const f = num(config, 'intermediate_size');
  const e = `${prefix}.embeddings`;
  const s: Record<string, number[]> = {
    [`${e}.word_embeddings.weight`]: [num(config, 'vocab_size'), embed],
    [`${e}.position_embeddings.weight`]: [num(config, 'max_position_embeddings'), embed],
    [`${e}.LayerNorm.weight`]: [embed],
    [`${e}.LayerNorm.bias`]: [embed],
  };
  const types = num(config, 'type_vocab_size', 2);
  if (types > 0) s[`${e}.token_type_embeddings.weight`] = [types, embed];
  const linear = (m: string, out: number, inp: number) => {
    s[`${m}.weight`] = [out, inp];
    s[`${m}.bias`] = [out];
  };
  for (let i = 0; i < num(config, 'num_hidden_layers'); i++) {
    const p = `${prefix}.encoder.layer.${i}`;
    for (const m of ['query', 'key', 'value']) linear(`${p}.attention.self.${m}`, h, h);
    linear(`${p}.attention.output.dense`, h, h);
    linear(`${p}.intermediate.dense`, f, h);
    linear(`${p}.output.dense`, h, f);
    for (const n of [`${p}.attention.output.LayerNorm`, `${p}.output.LayerNorm`]) {
      s[`${n}.weight`] = [h];
      s[`${n}.bias`] = [h];
    }
  }
  return s;
}
