/**
 * DeBERTa-v2/v3 disentangled self-attention (He et al. 2021), as transformers'
 * `DisentangledSelfAttention` computes it: content-to-content scores plus content-to-position
 * (c2p) and position-to-content (p2c) scores read from relative-distance buckets, all divided
 * by sqrt(head size * (1 + number of position terms)).
 *
 * PyTorch reads the relative scores with `torch.gather` on the last axis with an index that
 * depends on the (query, key) pair. TF.js has no such gather, so each [L, 2S] block is
 * flattened and read with one `tf.gather` on a flat index, built once per forward pass and shared
 * by all layers; GatherV2's gradient scatters back into the same positions, so the relative
 * embeddings train.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderContext } from './types';

/** The attention options of a deberta-v2 config.json, resolved as transformers resolves them. */
export interface DisentangledOptions {
  heads: number;
  headSize: number;
  /** Relative attention on (relative_attention); without it only content scores remain. */
  relative: boolean;
  c2p: boolean;
  p2c: boolean;
  /** share_att_key: position keys/queries go through key_proj/query_proj instead of pos_*_proj. */
  shareKey: boolean;
  /** position_buckets (<= 0: no log buckets). */
  buckets: number;
  /** max_relative_positions, with transformers' fallback to max_position_embeddings. */
  maxRelative: number;
  /** Half the number of relative embedding rows used (att_span in transformers). */
  span: number;
  attentionDropout: number;
  hiddenDropout: number;
}

/**
 * transformers' `make_log_bucket_position`: distances inside ±buckets/2 keep their value, longer
 * ones share logarithmically wider buckets up to max_position. PyTorch evaluates it in float32,
 * so each step is rounded to float32 here too: a ceil() on a value one ulp off would move a
 * distance to the neighbouring bucket.
 */
export function logBucket(rel: number, buckets: number, maxPosition: number): number {
  const mid = Math.floor(buckets / 2);
  const abs = rel < mid && rel > -mid ? mid - 1 : Math.abs(rel);
  if (abs <= mid) return rel;
  const f = Math.fround;
  const ratio = f(Math.log(f(abs / mid)));
  const base = f(Math.log(f((maxPosition - 1) / mid)));
  return Math.sign(rel) * (Math.ceil(f(f(ratio / base) * (mid - 1))) + mid);
}

/** `build_relative_position` for a square [len, len] block: bucketed (query - key), row-major. */
export function relativePositions(len: number, buckets: number, maxPosition: number): Int32Array {
  const out = new Int32Array(len * len);
  for (let i = 0; i < len; i++) {
    for (let j = 0; j < len; j++) out[i * len + j] = buckets > 0 && maxPosition > 0 ? logBucket(i - j, buckets, maxPosition) : i - j;
  }
  return out;
}

/**
 * Flat indices into a row-major [len, 2*span] block that read, for row i and column j, the
 * entry at column clamp(sign * rel[i, j] + span, 0, 2*span - 1): sign +1 is c2p's index,
 * sign -1 is p2c's.
 */
export function relativeGatherIndex(rel: Int32Array, len: number, span: number, sign: 1 | -1): Int32Array {
  const out = new Int32Array(len * len);
  for (let i = 0; i < len; i++) {
    for (let j = 0; j < len; j++) {
      const c = Math.min(Math.max(sign * rel[i * len + j] + span, 0), 2 * span - 1);
      out[i * len + j] = i * 2 * span + c;
    }
  }
  return out;
}

/** The per-forward constants every layer shares. */
export interface AttentionInputs {
  /** [B, 1, L, L] bool: both the query and the key are tokens (the encoder's extended mask). */
  mask: tf.Tensor;
  /** [2*span, hidden]: relative embeddings after their LayerNorm; null without relative attention. */
  relEmbeddings: tf.Tensor2D | null;
  /** Flat gather indices (relativeGatherIndex) for c2p and p2c, [L*L] int32. */
  c2pIndex: tf.Tensor1D | null;
  p2cIndex: tf.Tensor1D | null;
}

/** [..., L, H*dh] -> [..., H, L, dh] for a [B, L, H*dh] input. */
function splitHeads(x: tf.Tensor, heads: number, headSize: number): tf.Tensor4D {
  const [b, len] = x.shape;
  return tf.transpose(tf.reshape(x, [b, len, heads, headSize]), [0, 2, 1, 3]);
}

/** scores[b, h, i, r] = x[b, h, i, :] . pos[h, r, :] for x [B, H, L, dh] and pos [H, 2S, dh]. */
function scoresAgainstPositions(x: tf.Tensor4D, pos: tf.Tensor3D): tf.Tensor4D {
  const [b, h, len, dh] = x.shape;
  const perHead = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [h, b * len, dh]);
  const s = tf.matMul(perHead, pos, false, true);
  return tf.transpose(tf.reshape(s, [h, b, len, pos.shape[1]]), [1, 0, 2, 3]);
}

/** Reads [B, H, L, 2S] scores at the flat relative index into [B, H, L, L]. */
function gatherRelative(scores: tf.Tensor4D, index: tf.Tensor1D): tf.Tensor4D {
  const [b, h, len, width] = scores.shape;
  const picked = tf.gather(tf.reshape(scores, [b * h, len * width]), index, 1);
  return tf.reshape(picked, [b, h, len, len]);
}

/** Projects the relative embeddings with one of the layer's linear modules into [H, 2S, dh]. */
function positionHeads(ctx: EncoderContext, module: string, rel: tf.Tensor2D, o: DisentangledOptions): tf.Tensor3D {
  const p = ctx.dense(module, rel);
  return tf.transpose(tf.reshape(p, [rel.shape[0], o.heads, o.headSize]), [1, 0, 2]);
}

/**
 * What masked scores are replaced with (transformers fills float32's lowest value; no gradient
 * reaches them either way). Any value this far below the scores gives the same probabilities,
 * exact zeros for masked keys and a uniform row for a padding query, but TF.js's WebGPU softmax
 * returns NaN on a row of float32's lowest value, so a finite margin below it is used.
 */
const MASKED = -1e30;

/**
 * One layer's `attention.self`: hidden [B, L, hidden] -> context [B, L, H*dh].
 * `prefix` is the module path up to `attention.self` (e.g. `deberta.encoder.layer.0.attention.self`).
 */
export function disentangledSelfAttention(ctx: EncoderContext, prefix: string, hidden: tf.Tensor3D, inputs: AttentionInputs, o: DisentangledOptions): tf.Tensor3D {
  const [b, len] = hidden.shape;
  const q = splitHeads(ctx.dense(`${prefix}.query_proj`, hidden), o.heads, o.headSize);
  const k = splitHeads(ctx.dense(`${prefix}.key_proj`, hidden), o.heads, o.headSize);
  const v = splitHeads(ctx.dense(`${prefix}.value_proj`, hidden), o.heads, o.headSize);
  const scale = Math.sqrt(o.headSize * (1 + Number(o.c2p) + Number(o.p2c)));
  let scores: tf.Tensor = tf.div(tf.matMul(q, k, false, true), scale);

  if (o.relative && inputs.relEmbeddings) {
    const rel = ctx.dropout(inputs.relEmbeddings, o.hiddenDropout) as tf.Tensor2D;
    if (o.c2p && inputs.c2pIndex) {
      const posKey = positionHeads(ctx, `${prefix}.${o.shareKey ? 'key_proj' : 'pos_key_proj'}`, rel, o);
      scores = tf.add(scores, tf.div(gatherRelative(scoresAgainstPositions(q, posKey), inputs.c2pIndex), scale));
    }
    if (o.p2c && inputs.p2cIndex) {
      const posQuery = positionHeads(ctx, `${prefix}.${o.shareKey ? 'query_proj' : 'pos_query_proj'}`, rel, o);
      // Rows are keys here: p2c[b, h, key, query], then transposed to [query, key].
      const p2c = gatherRelative(scoresAgainstPositions(k, posQuery), inputs.p2cIndex);
      scores = tf.add(scores, tf.div(tf.transpose(p2c, [0, 1, 3, 2]), scale));
    }
  }

  const probs = ctx.dropout(tf.softmax(tf.where(inputs.mask, scores, tf.scalar(MASKED)), -1), o.attentionDropout);
  const context = tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]);
  return tf.reshape(context, [b, len, o.heads * o.headSize]);
}
