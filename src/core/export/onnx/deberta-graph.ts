/**
 * DebertaV2ForSequenceClassification (DeBERTa-v2/v3) as an ONNX graph (inputs input_ids and
 * attention_mask; output `logits`), computed as the product's models/pretrained/deberta-v2.ts:
 * word (+ absolute position, + type 0) embeddings, LayerNorm, zeroed at padding; disentangled
 * attention whose c2p / p2c scores are read from log-bucketed relative distances; the ContextPooler
 * and the classifier. The bucket of each (query, key) pair depends only on the two positions, so
 * the read indices are stored for max_position_embeddings tokens and sliced to the batch's length.
 * The ConvLayer (v2 xlarge/xxlarge) is not written.
 */
import type { FloatTensor } from '../../models/pretrained/checkpoint';
import { relativePositions } from '../../models/pretrained/deberta-v2-attention';
import type { HfConfig } from '../../models/pretrained/types';
import { InputError } from '../../util/errors';
import { Builder, labelCount } from './graph-builder';
import { BOOL, FLOAT, type Graph } from './proto';

const P = 'deberta';
/** What masked scores become (as the product: exact zeros after softmax, never -inf). */
const MASKED = -1e30;

const option = (config: HfConfig, key: string, fallback: number) => (typeof config[key] === 'number' ? (config[key] as number) : fallback);

function positionTerms(config: HfConfig): string[] {
  const v = config.pos_att_type;
  if (v == null) return [];
  return (Array.isArray(v) ? v.map(String) : String(v).split('|')).map((s) => s.trim().toLowerCase());
}

/** [L, L] int64 column indices clamp(sign * bucket(i - j) + span) into a [.., 2 span] block, stored for `max` tokens. */
function relativeIndex(b: Builder, name: string, rel: Int32Array, max: number, span: number, sign: 1 | -1, ends: string): string {
  const cols = Array.from(rel, (r) => Math.min(Math.max(sign * r + span, 0), 2 * span - 1));
  const table = b.ints(name, cols, [max, max]);
  return b.op('Slice', [table, b.ints('slice_starts', [0, 0]), ends, b.ints('slice_axes', [0, 1])]);
}

export function debertaGraph(config: HfConfig, weights: Record<string, FloatTensor>): Graph {
  const hidden = Number(config.hidden_size);
  const heads = Number(config.num_attention_heads);
  const head = hidden / heads;
  if (option(config, 'conv_kernel_size', 0) > 0) throw new InputError('ONNX export: deberta-v2 with a ConvLayer (conv_kernel_size) is not written as ONNX yet');
  if (option(config, 'attention_head_size', head) !== head || option(config, 'embedding_size', hidden) !== hidden)
    throw new InputError('ONNX export: deberta-v2 with attention_head_size or embedding_size other than hidden_size / heads is not supported');
  const eps = option(config, 'layer_norm_eps', 1e-7);
  const terms = positionTerms(config);
  const relative = config.relative_attention === true && terms.length > 0;
  const c2p = terms.includes('c2p');
  const p2c = terms.includes('p2c');
  const shareKey = config.share_att_key === true;
  const maxPositions = option(config, 'max_position_embeddings', 512);
  const maxRelative = option(config, 'max_relative_positions', -1) < 1 ? maxPositions : option(config, 'max_relative_positions', -1);
  const buckets = option(config, 'position_buckets', -1);
  const span = buckets > 0 ? buckets : maxRelative;
  // transformers counts the position terms in the scale even without relative attention.
  const scale = Math.sqrt(head * (1 + Number(c2p) + Number(p2c)));
  const b = new Builder(weights);
  const e = `${P}.embeddings`;

  // Sequence length, as a scalar and as a 1-D [1].
  const shape = b.op('Shape', ['input_ids']);
  const len = b.op('Gather', [shape, b.ints('one', [1], [])], [{ name: 'axis', i: 0 }]);
  const len1 = b.op('Gather', [shape, b.ints('one_1d', [1])], [{ name: 'axis', i: 0 }]);
  const tokens = b.op('Cast', ['attention_mask'], [{ name: 'to', i: FLOAT }]);

  let x = b.op('Gather', [b.weight(`${e}.word_embeddings.weight`), 'input_ids']);
  if (config.position_biased_input !== false) {
    const positions = b.op('Range', [b.ints('zero', [0], []), len, 'one']);
    x = b.op('Add', [x, b.op('Gather', [b.weight(`${e}.position_embeddings.weight`), positions])]);
  }
  if (option(config, 'type_vocab_size', 0) > 0) x = b.op('Add', [x, b.op('Gather', [b.weight(`${e}.token_type_embeddings.weight`), b.ints('zero', [0], [])])]);
  x = b.op('Mul', [b.layerNorm(x, `${e}.LayerNorm`, eps), b.op('Unsqueeze', [tokens, b.ints('last_axis', [2])])]);

  // [B, 1, L, L] bool: query and key both tokens.
  const m = b.op('Cast', ['attention_mask'], [{ name: 'to', i: BOOL }]);
  const both = b.op('And', [b.op('Unsqueeze', [m, b.ints('key_axes', [1, 2])]), b.op('Unsqueeze', [m, b.ints('query_axes', [1, 3])])]);

  let rel = '';
  let c2pIndex = '';
  let p2cIndex = '';
  if (relative) {
    const table = weights[`${P}.encoder.rel_embeddings.weight`];
    if (!table) throw new InputError(`ONNX export: the model has no weight '${P}.encoder.rel_embeddings.weight'`);
    if (table.shape[0] < 2 * span) throw new InputError(`ONNX export: rel_embeddings has ${table.shape[0]} rows, the config needs ${2 * span}`);
    rel = b.floats('rel_embeddings', [2 * span, hidden], table.data.slice(0, 2 * span * hidden));
    if (String(config.norm_rel_ebd ?? 'none').includes('layer_norm')) rel = b.layerNorm(rel, `${P}.encoder.LayerNorm`, eps);
    const positions = relativePositions(maxPositions, buckets, maxRelative);
    const ends = b.op('Concat', [len1, len1], [{ name: 'axis', i: 0 }]);
    if (c2p) c2pIndex = relativeIndex(b, 'c2p_index', positions, maxPositions, span, 1, ends);
    if (p2c) p2cIndex = relativeIndex(b, 'p2c_index', positions, maxPositions, span, -1, ends);
  }

  const split = b.ints('split_heads', [0, 0, heads, head]);
  const merge = b.ints('merge_heads', [0, 0, hidden]);
  const s = b.scalar('attention_scale', scale);
  const heads4 = (v: string, perm: number[]) => b.op('Transpose', [b.op('Reshape', [v, split])], [{ name: 'perm', ints: perm }]);
  // Relative embeddings through a layer's projection, as [H, dh, 2S] for the product with [B, H, L, dh].
  const positionsT = (module: string) =>
    b.op('Transpose', [b.op('Reshape', [b.linear(rel, module), b.ints('rel_heads', [2 * span, heads, head])])], [{ name: 'perm', ints: [1, 2, 0] }]);

  for (let l = 0; l < Number(config.num_hidden_layers); l++) {
    const a = `${P}.encoder.layer.${l}.attention`;
    const q = heads4(b.linear(x, `${a}.self.query_proj`), [0, 2, 1, 3]);
    const k = heads4(b.linear(x, `${a}.self.key_proj`), [0, 2, 1, 3]);
    const v = heads4(b.linear(x, `${a}.self.value_proj`), [0, 2, 1, 3]);
    const c2c = b.op('MatMul', [q, b.op('Transpose', [k], [{ name: 'perm', ints: [0, 1, 3, 2] }])]);
    let scores = b.op('Div', [c2c, s]);
    const full = b.op('Shape', [c2c]);
    const read = (block: string, index: string) => b.op('GatherElements', [block, b.op('Expand', [index, full])], [{ name: 'axis', i: 3 }]);
    if (c2pIndex) {
      const posKey = positionsT(`${a}.self.${shareKey ? 'key_proj' : 'pos_key_proj'}`);
      scores = b.op('Add', [scores, b.op('Div', [read(b.op('MatMul', [q, posKey]), c2pIndex), s])]);
    }
    if (p2cIndex) {
      const posQuery = positionsT(`${a}.self.${shareKey ? 'query_proj' : 'pos_query_proj'}`);
      // Rows are keys here: p2c[b, h, key, query], then transposed to [query, key].
      const p2cScores = b.op('Transpose', [read(b.op('MatMul', [k, posQuery]), p2cIndex)], [{ name: 'perm', ints: [0, 1, 3, 2] }]);
      scores = b.op('Add', [scores, b.op('Div', [p2cScores, s])]);
    }
    const probs = b.op('Softmax', [b.op('Where', [both, scores, b.scalar('masked', MASKED)])], [{ name: 'axis', i: -1 }]);
    const context = b.op('Reshape', [b.op('Transpose', [b.op('MatMul', [probs, v])], [{ name: 'perm', ints: [0, 2, 1, 3] }]), merge]);
    const h = b.layerNorm(b.op('Add', [b.linear(context, `${a}.output.dense`), x]), `${a}.output.LayerNorm`, eps);
    const f = `${P}.encoder.layer.${l}`;
    const up = b.activation(b.linear(h, `${f}.intermediate.dense`), String(config.hidden_act ?? 'gelu'));
    x = b.layerNorm(b.op('Add', [b.linear(up, `${f}.output.dense`), h]), `${f}.output.LayerNorm`, eps);
  }

  const pooled = b.activation(b.linear(b.firstToken(x), 'pooler.dense'), String(config.pooler_hidden_act ?? 'gelu'));
  return b.finish('deberta_v2_for_sequence_classification', b.linear(pooled, 'classifier'), ['input_ids', 'attention_mask'], labelCount(config));
}
