/* eslint-disable no-restricted-imports */
/**
 * DeBERTa-v3 against PyTorch: the tiny checkpoint in ../shared/models/tiny-deberta-v3 (outside
 * the repo) run on the ids of expected.json must give transformers' last_hidden_state and logits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../storage/safetensors';
import { debertaV2 } from './deberta-v2';
import { logBucket, relativePositions } from './deberta-v2-attention';
import type { EncoderContext, HfConfig } from './types';

const DIR = resolve(process.cwd(), '../shared/models/tiny-deberta-v3');
const present = existsSync(resolve(DIR, 'model.safetensors'));

interface Expected {
  input_ids: number[][];
  attention_mask: number[][];
  last_hidden_state: number[][][];
  logits: number[][];
}

function load(): { config: HfConfig; weights: Record<string, tf.Tensor>; expected: Expected } {
  const config = JSON.parse(readFileSync(resolve(DIR, 'config.json'), 'utf8')) as HfConfig;
  const expected = JSON.parse(readFileSync(resolve(DIR, 'expected.json'), 'utf8')) as Expected;
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(resolve(DIR, 'model.safetensors'))));
  const weights: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) weights[name] = tf.tensor(t.data, t.shape, 'float32');
  return { config, weights, expected };
}

/** The plainest context: weights by name, y = x W^T + b, no dropout. */
function plainContext(weights: Record<string, tf.Tensor>, used = new Set<string>()): EncoderContext {
  const param = (name: string) => {
    const w = weights[name];
    if (!w) throw new Error(`missing weight ${name}`);
    used.add(name);
    return w;
  };
  return {
    param,
    dense: (module, x) => tf.add(tf.matMul(x as tf.Tensor2D, param(`${module}.weight`) as tf.Tensor2D, false, true), param(`${module}.bias`)),
    dropout: (x) => x,
    training: false,
  };
}

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('log buckets (transformers make_log_bucket_position)', () => {
  it('keeps distances within half the buckets and compresses longer ones logarithmically', () => {
    // position_buckets 16, max position 64 (the tiny config): mid 8.
    expect([0, 1, -1, 7, 8, -8].map((r) => logBucket(r, 16, 64))).toEqual([0, 1, -1, 7, 8, -8]);
    // ceil(log(r/8) / log(63/8) * 7) + 8, worked by hand: 9 -> 9, 16 -> 11, 63 -> 15, 200 -> 19.
    expect([9, 16, 63, 200, -16].map((r) => logBucket(r, 16, 64))).toEqual([9, 11, 15, 19, -11]);
    // DeBERTa-v3-base: 256 buckets, 512 positions: distance 511 lands in the last bucket.
    expect(logBucket(511, 256, 512)).toBe(255);
    expect(logBucket(-511, 256, 512)).toBe(-255);
  });

  it('builds query - key without buckets when position_buckets is off', () => {
    expect(Array.from(relativePositions(3, -1, 64))).toEqual([0, -1, -2, 1, 0, -1, 2, 1, 0]);
  });
});

describe('validate', () => {
  const base: HfConfig = { model_type: 'deberta-v2', hidden_size: 32, num_attention_heads: 4, num_hidden_layers: 2, pos_att_type: ['p2c', 'c2p'] };
  it('accepts the DeBERTa-v3 options and names the ones it does not implement', () => {
    expect(() => debertaV2.validate({ ...base, norm_rel_ebd: 'layer_norm', share_att_key: true, pos_att_type: 'p2c|c2p' })).not.toThrow();
    expect(() => debertaV2.validate({ ...base, conv_kernel_size: 3 })).toThrow(/conv_kernel_size 3.*not implemented/);
    expect(() => debertaV2.validate({ ...base, embedding_size: 16 })).toThrow(/embed_proj/);
    expect(() => debertaV2.validate({ ...base, pos_att_type: ['p2p'] })).toThrow(/pos_att_type \["p2p"\]/);
    expect(() => debertaV2.validate({ ...base, hidden_act: 'gelu_10' })).toThrow(/hidden_act "gelu_10"/);
    expect(() => debertaV2.validate({ ...base, model_type: 'deberta' })).toThrow(/model_type "deberta"/);
  });
});

describe.skipIf(!present)('tiny DeBERTa-v3 against PyTorch (skipped: ../shared/models/tiny-deberta-v3 absent)', () => {
  it('reproduces last_hidden_state and logits to 1e-4, reading every weight of the checkpoint', () => {
    const { config, weights, expected } = load();
    debertaV2.validate(config);
    const used = new Set<string>();
    const inputIds = tf.tensor2d(expected.input_ids, undefined, 'int32');
    const attentionMask = tf.tensor2d(expected.attention_mask, undefined, 'int32');
    const out = debertaV2.forward(config, { inputIds, attentionMask }, plainContext(weights, used));
    expect(out.lastHidden.shape).toEqual([3, 16, 32]);
    expect(maxAbsDiff(Array.from(out.lastHidden.dataSync()), expected.last_hidden_state.flat(2))).toBeLessThan(1e-4);
    expect(maxAbsDiff(Array.from(out.logits.dataSync()), expected.logits.flat())).toBeLessThan(1e-4);
    // word_embeddings is tied to nothing else here: every tensor of the file feeds the output.
    expect([...used].sort()).toEqual(Object.keys(weights).sort());
    tf.dispose([out.lastHidden, out.logits, inputIds, attentionMask, ...Object.values(weights)]);
  });

  it('sends gradients to the relative embeddings and keeps the tensor count flat', () => {
    const { config, expected, weights } = load();
    const vars: Record<string, tf.Variable> = {};
    for (const [name, w] of Object.entries(weights)) vars[name] = tf.variable(w, true, `deberta-test/${name}`);
    tf.dispose(Object.values(weights));
    const ctx = plainContext(vars);
    const inputIds = tf.tensor2d(expected.input_ids, undefined, 'int32');
    const attentionMask = tf.tensor2d(expected.attention_mask, undefined, 'int32');
    const labels = tf.oneHot(tf.tensor1d([2, 1, 3], 'int32'), 4);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const out = debertaV2.forward(config, { inputIds, attentionMask }, ctx);
        return tf.losses.softmaxCrossEntropy(labels, out.logits) as tf.Scalar;
      });
      const rel = grads['deberta-test/deberta.encoder.rel_embeddings.weight'];
      const relNorm = tf.tidy(() => tf.norm(rel).dataSync()[0]);
      const allFinite = Object.values(grads).every((g) => tf.tidy(() => tf.all(tf.isFinite(g)).dataSync()[0] === 1));
      tf.dispose([value, ...Object.values(grads)]);
      return { relNorm, allFinite, gradCount: Object.keys(grads).length };
    };
    const first = step();
    const before = tf.memory().numTensors;
    const second = step();
    expect(tf.memory().numTensors).toBe(before);
    for (const r of [first, second]) {
      expect(r.allFinite).toBe(true);
      expect(r.relNorm).toBeGreaterThan(1e-6);
      expect(r.gradCount).toBe(Object.keys(vars).length);
    }
    tf.dispose([inputIds, attentionMask, labels, ...Object.values(vars)]);
  });
});
