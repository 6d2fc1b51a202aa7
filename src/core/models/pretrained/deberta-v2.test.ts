/**
 * DeBERTa-v3's own pieces: log buckets, config validation, the weight list, and gradients through
 * the relative-position gathers. Forward parity with PyTorch for the tiny checkpoint is in
 * forward.test.ts, training parity in deberta-v2-train.test.ts.
 */
// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { debertaV2 } from './deberta-v2';
import { logBucket, relativePositions } from './deberta-v2-attention';
import { MODELS_DIR, tinyModels } from './fixtures';
import { EncoderModel } from './model';
import type { HfConfig } from './types';

const NAME = 'tiny-deberta-v3';
const tiny = tinyModels(fs);
const present = fs.existsSync(`${MODELS_DIR}/${NAME}/model.safetensors`);

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

describe.skipIf(!present)(`${NAME} checkpoint (CPU backend; skipped: ${MODELS_DIR}/${NAME} absent)`, () => {
  it('lists exactly the checkpoint\'s weights and shapes', async () => {
    const { config, weights } = await tiny.load(NAME);
    const shapes = debertaV2.weightShapes!(config, 4);
    expect(Object.keys(shapes).sort()).toEqual(Object.keys(weights).sort());
    for (const [name, w] of Object.entries(weights)) expect(shapes[name], name).toEqual(w.shape);
  });

  it('sends gradients to every weight, the relative embeddings included, and keeps the tensor count flat', async () => {
    const model = EncoderModel.fromCheckpoint(await tiny.load(NAME));
    const exp = tiny.expected(NAME);
    const inputIds = tf.tensor2d(exp.input_ids, undefined, 'int32');
    const attentionMask = tf.tensor2d(exp.attention_mask, undefined, 'int32');
    const labels = tf.oneHot(tf.tensor1d([2, 1, 3], 'int32'), 4);
    const vars = [...model.weights.values()];
    const relName = model.weights.get('deberta.encoder.rel_embeddings.weight')!.name;
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward({ inputIds, attentionMask });
        return tf.losses.softmaxCrossEntropy(labels, out.logits) as tf.Scalar;
      }, vars);
      const relNorm = tf.tidy(() => tf.norm(grads[relName]).dataSync()[0]);
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
      expect(r.gradCount).toBe(vars.length);
    }
    tf.dispose([inputIds, attentionMask, labels]);
    model.dispose();
  });
});
