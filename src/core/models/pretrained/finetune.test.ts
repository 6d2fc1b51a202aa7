// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW } from './adamw';
import { trainStep, type Batch } from './finetune';
import { maxAbsDiff, tinyModels, type TrainReference } from './fixtures';
import { EncoderModel, withDropout } from './model';

const tiny = tinyModels(fs);
const MODELS = ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra'];

function batchOf(ref: TrainReference): Batch {
  return {
    inputIds: tf.tensor2d(ref.batch.input_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(ref.batch.attention_mask, undefined, 'int32'),
    labels: tf.tensor1d(ref.batch.labels, 'int32'),
  };
}

describe.skipIf(!tiny.present)('full fine-tuning matches torch AdamW step for step (CPU backend)', () => {
  for (const name of MODELS) {
    it(`${name}: 5 losses to 1e-4, eval logits to 1e-3, tensor count flat`, async () => {
      const ref = tiny.trainReference(name);
      const exp = tiny.expected(name);
      const ckpt = await tiny.load(name);
      const model = new EncoderModel(ckpt.architecture, withDropout(ckpt.config, ref.dropout), ckpt.weights);
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
  }
});

describe.skipIf(!tiny.present)('dropout in training mode', () => {
  it('is on, and the same seed draws the same masks', async () => {
    const model = EncoderModel.fromCheckpoint(await tiny.load('tiny-bert'));
    const exp = tiny.expected('tiny-bert');
    const run = (training: boolean, seed: number) => model.logits(exp.input_ids, exp.attention_mask, { training, seed });
    expect(run(true, 1)).toEqual(run(true, 1));
    expect(maxAbsDiff(run(true, 1), run(true, 2))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(run(false, 1), exp.logits)).toBeLessThan(1e-4);
    model.dispose();
  });
});
