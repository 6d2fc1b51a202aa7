// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../storage/safetensors';
import type { NamedTensor } from '../estimator';
import { AdamW } from './adamw';
import { trainStep } from './finetune';
import { maxAbsDiff, tinyModels } from './fixtures';
import { Lora } from './lora';
import { EncoderModel, withDropout } from './model';
import { isSavedModule, isTarget } from './peft-match';

const tiny = tinyModels(fs);
const MODELS = ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra'];

describe('PEFT name matching', () => {
  it('target_modules: exact or dotted suffix for a list, full match for a regex string', () => {
    expect(isTarget('bert.encoder.layer.0.attention.self.query', ['query'])).toBe(true);
    expect(isTarget('bert.encoder.layer.0.attention.self.query_proj', ['query'])).toBe(false);
    expect(isTarget('bert.encoder.layer.0.attention.self.query', '.*layer\\.1.*query')).toBe(false);
    expect(isTarget('bert.encoder.layer.1.attention.self.query', '.*layer\\.1.*query')).toBe(true);
  });
  it('modules_to_save: plain suffix of the module or a parent, as PEFT', () => {
    expect(isSavedModule('pre_classifier.weight', ['classifier'])).toBe(true);
    expect(isSavedModule('classifier.out_proj.bias', ['classifier'])).toBe(true);
    expect(isSavedModule('bert.pooler.dense.weight', ['classifier'])).toBe(false);
  });
});

describe.skipIf(!tiny.present)('LoRA matches PEFT step for step (CPU backend)', () => {
  for (const name of MODELS) {
    it(`${name}: trainable set, 5 losses to 1e-4, eval logits to 1e-3, merge, save/load`, async () => {
      const ref = tiny.trainReference(name);
      const exp = tiny.expected(name);
      const ckpt = await tiny.load(name);
      const model = new EncoderModel(ckpt.architecture, withDropout(ckpt.config, ref.dropout), ckpt.weights);
      const lora = await Lora.readPeft(model, tiny.reader(`${name}/lora-init`));
      // PyTorch's trainable tensors, less the frozen-in-forward originals PEFT also flags.
      const torchNames = ref.lora.trainable
        .filter((n) => !n.includes('.original_module.'))
        .map((n) => n.replace('base_model.model.', '').replace('.default.', '.').replace('.modules_to_save.', '.'));
      expect([...lora.trainable().keys()].sort()).toEqual(torchNames.sort());
      const opt = new AdamW(lora.trainable(), { lr: ref.lora.lr, betas: ref.optimizer.betas, eps: ref.optimizer.eps, weightDecay: ref.optimizer.weight_decay });
      const batch = {
        inputIds: tf.tensor2d(ref.batch.input_ids, undefined, 'int32'),
        attentionMask: tf.tensor2d(ref.batch.attention_mask, undefined, 'int32'),
        labels: tf.tensor1d(ref.batch.labels, 'int32'),
      };
      const frozen = model.weights.get(`${ckpt.architecture.prefix}.embeddings.word_embeddings.weight`)!.dataSync().slice(0, 64);
      const losses: number[] = [];
      const counts: number[] = [];
      for (let s = 0; s < ref.lora.steps; s++) {
        const r = trainStep(model, batch, { optimizer: opt, trainable: lora.trainable(), adapters: [lora], overrides: lora.overrides, seed: s });
        losses.push(r.loss.dataSync()[0]);
        tf.dispose([r.loss, r.gradNorm]);
        counts.push(tf.memory().numTensors);
      }
      expect(maxAbsDiff(losses, ref.lora.losses)).toBeLessThan(1e-4);
      expect(new Set(counts.slice(1)).size).toBe(1);
      const adapted = model.logits(exp.input_ids, exp.attention_mask, { adapters: [lora], overrides: lora.overrides });
      expect(maxAbsDiff(adapted, ref.lora.eval_logits)).toBeLessThan(1e-3);
      // The base model did not move.
      expect([...model.weights.get(`${ckpt.architecture.prefix}.embeddings.word_embeddings.weight`)!.dataSync().slice(0, 64)]).toEqual([...frozen]);

      // PEFT's format round trip: the saved adapter reloads to the same outputs.
      const saved = await lora.toPeft();
      const again = Lora.fromPeft(model, saved.config, decodeSafetensors(saved.weights).tensors as Record<string, NamedTensor>);
      expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask, { adapters: [again], overrides: again.overrides }), adapted)).toBeLessThan(1e-6);
      again.dispose();

      // Merged into the base weights, the plain model gives the adapted logits.
      lora.mergeInto();
      expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask), adapted)).toBeLessThan(1e-5);
      tf.dispose(Object.values(batch));
      opt.dispose();
      lora.dispose();
      model.dispose();
    });
  }

  it('fresh adapters start at the base model (B = 0); a target that matches nothing is named in the error', async () => {
    const model = EncoderModel.fromCheckpoint(await tiny.load('tiny-bert'));
    const exp = tiny.expected('tiny-bert');
    const lora = Lora.create(model, { r: 2, alpha: 4, dropout: 0.1 }, 7);
    expect([...lora.a.keys()]).toEqual([
      'bert.encoder.layer.0.attention.self.query',
      'bert.encoder.layer.0.attention.self.value',
      'bert.encoder.layer.1.attention.self.query',
      'bert.encoder.layer.1.attention.self.value',
    ]);
    expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask, { adapters: [lora], overrides: lora.overrides }), exp.logits)).toBeLessThan(1e-4);
    expect(() => Lora.create(model, { r: 2, alpha: 4, dropout: 0, targetModules: ['q_proj'] }, 1)).toThrow(/q_proj.*match no linear module/);
    lora.dispose();
    model.dispose();
  });
});
