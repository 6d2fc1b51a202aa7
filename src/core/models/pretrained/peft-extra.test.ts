// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW } from './adamw';
import { bitFitTrainable } from './bitfit';
import { trainStep, type Batch } from './finetune';
import { maxAbsDiff, tinyModels } from './fixtures';
import { Ia3 } from './ia3';
import { EncoderModel, withDropout } from './model';

const tiny = tinyModels(fs);

async function setup(name: string) {
  const ref = tiny.trainReference(name);
  const ckpt = await tiny.load(name);
  const model = new EncoderModel(ckpt.architecture, withDropout(ckpt.config, 0), ckpt.weights);
  const batch: Batch = {
    inputIds: tf.tensor2d(ref.batch.input_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(ref.batch.attention_mask, undefined, 'int32'),
    labels: tf.tensor1d(ref.batch.labels, 'int32'),
  };
  return { model, batch, exp: tiny.expected(name) };
}

describe.skipIf(!tiny.present)('IA3 and BitFit (CPU backend)', () => {
  it("IA3: PEFT's BERT targets, identity at start, trains only its vectors and the head, merges exactly", async () => {
    const { model, batch, exp } = await setup('tiny-bert');
    const ia3 = new Ia3(model);
    const layer0 = [...ia3.scales.keys()].filter((m) => m.includes('layer.0.'));
    expect(layer0).toEqual(
      [
        'bert.encoder.layer.0.attention.output.dense',
        'bert.encoder.layer.0.attention.self.key',
        'bert.encoder.layer.0.attention.self.value',
        'bert.encoder.layer.0.output.dense',
      ].sort(),
    );
    expect([...ia3.feedforward].filter((m) => m.includes('layer.0.'))).toEqual(['bert.encoder.layer.0.attention.output.dense', 'bert.encoder.layer.0.output.dense']);
    expect(ia3.scales.get('bert.encoder.layer.0.output.dense')!.shape).toEqual([64]);
    expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask, { adapters: [ia3], overrides: ia3.overrides }), exp.logits)).toBeLessThan(1e-5);
    const opt = new AdamW(ia3.trainable(), { lr: 0.05, weightDecay: 0 });
    const before = model.weights.get('bert.encoder.layer.0.attention.self.key.weight')!.dataSync().slice();
    const losses: number[] = [];
    for (let s = 0; s < 4; s++) {
      const r = trainStep(model, batch, { optimizer: opt, trainable: ia3.trainable(), adapters: [ia3], overrides: ia3.overrides });
      losses.push(r.loss.dataSync()[0]);
      tf.dispose([r.loss, r.gradNorm]);
    }
    expect(losses[3]).toBeLessThan(losses[0]);
    expect([...model.weights.get('bert.encoder.layer.0.attention.self.key.weight')!.dataSync()]).toEqual([...before]);
    const adapted = model.logits(exp.input_ids, exp.attention_mask, { adapters: [ia3], overrides: ia3.overrides });
    ia3.mergeInto();
    expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask), adapted)).toBeLessThan(1e-5);
    expect(Object.keys(await ia3.toPeftTensors())).toContain('base_model.model.bert.encoder.layer.1.attention.self.value.ia3_l');
    opt.dispose();
    ia3.dispose();
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it('BitFit: trains every bias and the head, nothing else', async () => {
    const { model, batch } = await setup('tiny-distilbert');
    const trainable = bitFitTrainable(model);
    expect([...trainable.keys()].filter((n) => !n.endsWith('.bias')).sort()).toEqual(['classifier.weight', 'pre_classifier.weight']);
    expect(trainable.has('distilbert.transformer.layer.0.sa_layer_norm.bias')).toBe(true);
    const frozen = new Map([...model.weights].filter(([n]) => !trainable.has(n)).map(([n, v]) => [n, v.dataSync().slice()]));
    const bias = model.weights.get('distilbert.transformer.layer.0.ffn.lin1.bias')!.dataSync().slice();
    const opt = new AdamW(trainable, { lr: 0.01, weightDecay: 0.1 });
    const losses: number[] = [];
    for (let s = 0; s < 4; s++) {
      const r = trainStep(model, batch, { optimizer: opt, trainable });
      losses.push(r.loss.dataSync()[0]);
      tf.dispose([r.loss, r.gradNorm]);
    }
    expect(losses[3]).toBeLessThan(losses[0]);
    for (const [n, data] of frozen) expect(model.weights.get(n)!.dataSync()).toEqual(data);
    expect(maxAbsDiff([...model.weights.get('distilbert.transformer.layer.0.ffn.lin1.bias')!.dataSync()], [...bias])).toBeGreaterThan(1e-4);
    opt.dispose();
    tf.dispose(Object.values(batch));
    model.dispose();
  });
});
