/**
 * DeBERTa-v3 training parity: train-reference.json's 5 AdamW steps on one batch of 8 AG News
 * texts (dropout 0), computed with transformers + PyTorch from the tiny checkpoint, reproduced
 * with the project's own AdamW and training step. Matching losses step after step proves the
 * gradients of the disentangled attention (c2p/p2c gathers, shared keys, relative embeddings).
 */
// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../storage/safetensors';
import { AdamW } from './adamw';
import { debertaV2 } from './deberta-v2';
import { trainStep, type Batch } from './finetune';
import { MODELS_DIR, maxAbsDiff, tinyModels, type TrainReference } from './fixtures';
import { EncoderModel, withDropout } from './model';
import type { HfConfig } from './types';

const NAME = 'tiny-deberta-v3';
const tiny = tinyModels(fs);
const present = fs.existsSync(`${MODELS_DIR}/${NAME}/train-reference.json`);

function readTensors(path: string): Record<string, { shape: number[]; data: Float32Array }> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, t] of Object.entries(decodeSafetensors(new Uint8Array(fs.readFileSync(path)), path).tensors)) out[name] = { shape: t.shape, data: t.data as Float32Array };
  return out;
}

function batchOf(ref: TrainReference): Batch {
  return {
    inputIds: tf.tensor2d(ref.batch.input_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(ref.batch.attention_mask, undefined, 'int32'),
    labels: tf.tensor1d(ref.batch.labels, 'int32'),
  };
}

describe.skipIf(!present)(`${NAME}: fine-tuning matches PyTorch step for step (CPU backend; skipped: ${MODELS_DIR}/${NAME} absent)`, () => {
  it('full fine-tuning: 5 losses to 1e-4, eval logits to 1e-3, tensor count flat', () => {
    const ref = tiny.trainReference(NAME);
    const exp = tiny.expected(NAME);
    const config = tiny.json<HfConfig>(`${NAME}/config.json`);
    const model = new EncoderModel(debertaV2, withDropout(config, ref.dropout), readTensors(`${MODELS_DIR}/${NAME}/model.safetensors`));
    const opt = new AdamW(model.weights, { lr: ref.full.lr, betas: ref.optimizer.betas, eps: ref.optimizer.eps, weightDecay: ref.optimizer.weight_decay });
    const batch = batchOf(ref);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let s = 0; s < ref.full.steps; s++) {
      const r = trainStep(model, batch, { optimizer: opt, trainable: model.weights, seed: s });
      losses.push(r.loss.dataSync()[0]);
      tf.dispose([r.loss, r.gradNorm]);
      counts.push(tf.memory().numTensors);
    }
    expect(maxAbsDiff(losses, ref.full.losses)).toBeLessThan(1e-4);
    expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask), ref.full.eval_logits)).toBeLessThan(1e-3);
    // The first step creates the optimizer's moments; after that nothing may accumulate.
    expect(new Set(counts.slice(1)).size).toBe(1);
    tf.dispose(Object.values(batch));
    opt.dispose();
    model.dispose();
  });
});
