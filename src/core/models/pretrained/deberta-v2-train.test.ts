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
import { AdamW } from './adamw';
import { trainStep, type Batch } from './finetune';
import { MODELS_DIR, maxAbsDiff, tinyModels, type TrainReference } from './fixtures';
import { Lora } from './lora';
import { EncoderModel, withDropout } from './model';

const NAME = 'tiny-deberta-v3';
const tiny = tinyModels(fs);
const present = fs.existsSync(`${MODELS_DIR}/${NAME}/train-reference.json`);

function batchOf(ref: TrainReference): Batch {
  return {
    inputIds: tf.tensor2d(ref.batch.input_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(ref.batch.attention_mask, undefined, 'int32'),
    labels: tf.tensor1d(ref.batch.labels, 'int32'),
  };
}

describe.skipIf(!present)(`${NAME}: fine-tuning matches PyTorch step for step (CPU backend; skipped: ${MODELS_DIR}/${NAME} absent)`, () => {
  it('full fine-tuning: 5 losses to 1e-4, eval logits to 1e-3, tensor count flat', async () => {
    const ref = tiny.trainReference(NAME);
    const exp = tiny.expected(NAME);
    const ckpt = await tiny.load(NAME);
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

  // With shared keys, query_proj also projects the relative embeddings (p2c): PEFT's adapter on
  // query_proj acts there too, which only matches if that projection goes through ctx.dense.
  it("LoRA on query_proj/value_proj from PEFT's lora-init: 5 losses to 1e-4, eval logits to 1e-3, base frozen", async () => {
    const ref = tiny.trainReference(NAME);
    const exp = tiny.expected(NAME);
    const ckpt = await tiny.load(NAME);
    const model = new EncoderModel(ckpt.architecture, withDropout(ckpt.config, ref.dropout), ckpt.weights);
    const lora = await Lora.readPeft(model, tiny.reader(`${NAME}/lora-init`));
    expect(lora.targets).toEqual(ref.lora.target_modules);
    // PyTorch's trainable tensors, less the frozen-in-forward originals PEFT also flags.
    const torchNames = ref.lora.trainable
      .filter((n) => !n.includes('.original_module.'))
      .map((n) => n.replace('base_model.model.', '').replace('.default.', '.').replace('.modules_to_save.', '.'));
    expect([...lora.trainable().keys()].sort()).toEqual(torchNames.sort());
    const opt = new AdamW(lora.trainable(), { lr: ref.lora.lr, betas: ref.optimizer.betas, eps: ref.optimizer.eps, weightDecay: ref.optimizer.weight_decay });
    const batch = batchOf(ref);
    const rel = model.weights.get('deberta.encoder.rel_embeddings.weight')!;
    const relBefore = rel.dataSync().slice();
    const losses: number[] = [];
    const counts: number[] = [];
    for (let s = 0; s < ref.lora.steps; s++) {
      const r = trainStep(model, batch, { optimizer: opt, trainable: lora.trainable(), adapters: [lora], overrides: lora.overrides, seed: s });
      losses.push(r.loss.dataSync()[0]);
      tf.dispose([r.loss, r.gradNorm]);
      counts.push(tf.memory().numTensors);
    }
    expect(maxAbsDiff(losses, ref.lora.losses)).toBeLessThan(1e-4);
    expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask, { adapters: [lora], overrides: lora.overrides }), ref.lora.eval_logits)).toBeLessThan(1e-3);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect([...rel.dataSync()]).toEqual([...relBefore]);
    tf.dispose(Object.values(batch));
    opt.dispose();
    lora.dispose();
    model.dispose();
  });
});
