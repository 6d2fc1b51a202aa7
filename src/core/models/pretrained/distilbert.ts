/**
 * DistilBertForSequenceClassification: word + learned position embeddings (no token types),
 * post-LayerNorm blocks with q_lin/k_lin/v_lin/out_lin and lin1/lin2 (LayerNorm eps fixed at
 * 1e-12 as transformers), then pre_classifier + ReLU + dropout + classifier on [CLS].
 */
import * as tf from '@tensorflow/tfjs-core';
import { arangePositions } from './bert-encoder';
import { embeddingOutput } from './hooks';
import { activation, firstToken, layerNorm, maskBias, num, selfAttention } from './ops';
import type { EncoderArchitecture } from './types';

const EPS = 1e-12;

export const distilbert: EncoderArchitecture = {
  modelTypes: ['distilbert'],
  prefix: 'distilbert',
  defaultLoraTargets: ['q_lin', 'v_lin'],
  validate(config) {
    const bad: string[] = [];
    if (config.sinusoidal_pos_embds === true) bad.push('sinusoidal_pos_embds: true');
    activation(String(config.activation ?? 'gelu'));
    if (num(config, 'dim') % num(config, 'n_heads') !== 0) bad.push(`dim ${String(config.dim)} not divisible by n_heads ${String(config.n_heads)}`);
    if (bad.length) throw new Error(`distilbert: unsupported config option(s): ${bad.join('; ')}`);
  },
  forward(config, { inputIds, attentionMask }, ctx) {
    const [b, l] = inputIds.shape;
    const d = num(config, 'dim');
    const drop = num(config, 'dropout', 0.1);
    const act = activation(String(config.activation ?? 'gelu'));
    const rows = (table: tf.Tensor, ids: tf.Tensor) => tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [b, l, d]);
    let x = tf.add(
      rows(ctx.param('distilbert.embeddings.word_embeddings.weight'), inputIds),
      rows(ctx.param('distilbert.embeddings.position_embeddings.weight'), arangePositions(b, l)),
    );
    x = embeddingOutput(ctx, ctx.dropout(layerNorm(ctx, 'distilbert.embeddings.LayerNorm', x, EPS), drop));
    const bias = maskBias(attentionMask);
    for (let i = 0; i < num(config, 'n_layers'); i++) {
      const p = `distilbert.transformer.layer.${i}`;
      const a = selfAttention(
        ctx,
        { query: `${p}.attention.q_lin`, key: `${p}.attention.k_lin`, value: `${p}.attention.v_lin`, output: `${p}.attention.out_lin` },
        x,
        num(config, 'n_heads'),
        bias,
        num(config, 'attention_dropout', 0.1),
      );
      const h = layerNorm(ctx, `${p}.sa_layer_norm`, tf.add(a, x), EPS);
      const f = ctx.dropout(ctx.dense(`${p}.ffn.lin2`, act(ctx.dense(`${p}.ffn.lin1`, h))), drop);
      x = layerNorm(ctx, `${p}.output_layer_norm`, tf.add(f, h), EPS);
    }
    const last = x as tf.Tensor3D;
    const pooled = ctx.dropout(tf.relu(ctx.dense('pre_classifier', firstToken(last))), num(config, 'seq_classif_dropout', 0.2));
    return { lastHidden: last, logits: ctx.dense('classifier', pooled) as tf.Tensor2D };
  },
  weightShapes(config, numLabels) {
    const d = num(config, 'dim');
    const f = num(config, 'hidden_dim');
    const s: Record<string, number[]> = {
      'distilbert.embeddings.word_embeddings.weight': [num(config, 'vocab_size'), d],
      'distilbert.embeddings.position_embeddings.weight': [num(config, 'max_position_embeddings'), d],
    };
    const linear = (m: string, out: number, inp: number) => Object.assign(s, { [`${m}.weight`]: [out, inp], [`${m}.bias`]: [out] });
    const norm = (m: string) => Object.assign(s, { [`${m}.weight`]: [d], [`${m}.bias`]: [d] });
    norm('distilbert.embeddings.LayerNorm');
    for (let i = 0; i < num(config, 'n_layers'); i++) {
      const p = `distilbert.transformer.layer.${i}`;
      for (const m of ['q_lin', 'k_lin', 'v_lin', 'out_lin']) linear(`${p}.attention.${m}`, d, d);
      norm(`${p}.sa_layer_norm`);
      linear(`${p}.ffn.lin1`, f, d);
      linear(`${p}.ffn.lin2`, d, f);
      norm(`${p}.output_layer_norm`);
    }
    linear('pre_classifier', d, d);
    linear('classifier', numLabels, d);
    return s;
  },
};
