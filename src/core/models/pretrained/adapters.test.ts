// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
/**
 * Bottleneck adapters against their definition: ../shared holds no PyTorch reference for them
 * (PEFT has no bottleneck adapters and AdapterHub is not in the mirror), so the tests check what
 * the definition fixes: the placement by module name, the identity at initialisation, what a step
 * trains, and the gradients by central finite differences.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiment/config';
import { validateConfig } from '../../guard/validate-config';
import { AdamW } from './adamw';
import { Bottleneck, bottleneckSize, type BottleneckOptions } from './adapters';
import { crossEntropy, gradients, trainStep, type Batch } from './finetune';
import type { PretrainedConfig } from './config';
import { maxAbsDiff, tinyModels } from './fixtures';
import { EncoderModel, withDropout } from './model';

const tiny = tinyModels(fs);
const MODELS = ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3'];
const HOULSBY: BottleneckOptions = { placement: 'houlsby', reduction: 16, nonLinearity: 'relu', trainLayerNorms: false };

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

describe('bottleneck size', () => {
  it('is hidden / reduction rounded down, or the size given; an empty bottleneck is refused', () => {
    expect(bottleneckSize(768, { reduction: 16 })).toBe(48);
    expect(bottleneckSize(32, { reduction: 16, size: 5 })).toBe(5);
    expect(() => bottleneckSize(32, { reduction: 64 })).toThrow(/model\.adapter\.reduction 64 leaves no bottleneck for hidden size 32: use at most 32/);
  });

  it('config: defaults as AdapterHub (Pfeiffer, reduction 16, relu); bad settings are named', () => {
    const model = (adapter: Record<string, unknown>) => parseExperimentConfig({ model: { type: 'pretrained', method: 'adapter', adapter } }).model as PretrainedConfig;
    expect(model({}).adapter).toEqual({ placement: 'pfeiffer', reduction: 16, nonLinearity: 'relu', trainLayerNorms: false });
    expect(() => model({ placement: 'middle' })).toThrow(/model\.adapter\.placement/);
    expect(() => model({ nonLinearity: 'elu' })).toThrow(/model\.adapter\.nonLinearity/);
    expect(() => model({ size: 0 })).toThrow(/model\.adapter\.size/);
    // Too wide a reduction for the base is refused before anything downloads (the guard sizes the config).
    const wide = parseExperimentConfig({ model: { type: 'pretrained', base: 'hf:google-bert/bert-base-uncased', method: 'adapter', adapter: { reduction: 1000 } } });
    expect(() => validateConfig(wide, { train: 1000, validation: 100, classes: 4 })).toThrow(/model\.adapter\.reduction 1000 leaves no bottleneck for hidden size 768/);
  });
});

describe.skipIf(!tiny.present)('bottleneck adapters (CPU backend)', () => {
  it('wrap the attention and feed-forward outputs (Houlsby) or the feed-forward output only (Pfeiffer), per architecture', async () => {
    const layer0 = (a: Bottleneck) => [...a.down.keys()].filter((m) => m.includes('layer.0.'));
    const cases: [string, string[], string[]][] = [
      ['tiny-bert', ['bert.encoder.layer.0.attention.output.dense', 'bert.encoder.layer.0.output.dense'], ['bert.encoder.layer.0.output.dense']],
      ['tiny-distilbert', ['distilbert.transformer.layer.0.attention.out_lin', 'distilbert.transformer.layer.0.ffn.lin2'], ['distilbert.transformer.layer.0.ffn.lin2']],
      ['tiny-deberta-v3', ['deberta.encoder.layer.0.attention.output.dense', 'deberta.encoder.layer.0.output.dense'], ['deberta.encoder.layer.0.output.dense']],
    ];
    for (const [name, houlsby, pfeiffer] of cases) {
      const model = EncoderModel.fromCheckpoint(await tiny.load(name));
      const h = new Bottleneck(model, HOULSBY, 1);
      const p = new Bottleneck(model, { ...HOULSBY, placement: 'pfeiffer' }, 1);
      expect(layer0(h).sort(), name).toEqual(houlsby);
      expect(layer0(p), name).toEqual(pfeiffer);
      // 32 / 16 = 2 wide: down [2, 32], up [32, 2].
      expect(h.down.get(houlsby[0])!.w.shape).toEqual([2, 32]);
      expect(h.up.get(houlsby[0])!.w.shape).toEqual([32, 2]);
      h.dispose();
      p.dispose();
      model.dispose();
    }
  });

  for (const name of MODELS) {
    it(`${name}: a fresh adapter leaves the logits equal to the base's`, async () => {
      const model = EncoderModel.fromCheckpoint(await tiny.load(name));
      const exp = tiny.expected(name);
      const base = model.logits(exp.input_ids, exp.attention_mask);
      const adapter = new Bottleneck(model, HOULSBY, 3);
      expect(maxAbsDiff(model.logits(exp.input_ids, exp.attention_mask, { adapters: [adapter], overrides: adapter.overrides }), base)).toBeLessThan(1e-6);
      adapter.dispose();
      model.dispose();
    });
  }

  it('a step trains the adapters and the head only (and the LayerNorms when asked); tensor count flat', async () => {
    const { model, batch } = await setup('tiny-bert');
    for (const trainLayerNorms of [false, true]) {
      const adapter = new Bottleneck(model, { ...HOULSBY, trainLayerNorms }, 5);
      const trainable = adapter.trainable();
      const snapshot = (m: ReadonlyMap<string, tf.Variable>) => new Map([...m].map(([n, v]) => [n, Array.from(v.dataSync())]));
      const base = snapshot(model.weights);
      const own = snapshot(trainable);
      const opt = new AdamW(trainable, { lr: 1e-2, weightDecay: 0 });
      const counts: number[] = [];
      for (let s = 0; s < 3; s++) {
        const r = trainStep(model, batch, { optimizer: opt, trainable, adapters: [adapter], overrides: adapter.overrides, seed: s });
        tf.dispose([r.loss, r.gradNorm]);
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts.slice(1)).size).toBe(1);
      const changedBase = [...model.weights].filter(([n, v]) => maxAbsDiff(Array.from(v.dataSync()), base.get(n)) > 0).map(([n]) => n);
      if (trainLayerNorms) {
        expect(changedBase.length).toBeGreaterThan(0);
        expect(changedBase.every((n) => /LayerNorm/.test(n) && /\.layer\.\d+\./.test(n))).toBe(true);
      } else expect(changedBase).toEqual([]);
      const moved = (n: string) => maxAbsDiff(Array.from(trainable.get(n)!.dataSync()), own.get(n)) > 0;
      expect(moved('bert.encoder.layer.0.output.dense.adapter.up.weight')).toBe(true);
      expect(moved('bert.encoder.layer.1.attention.output.dense.adapter.down.weight')).toBe(true);
      expect(moved('classifier.weight')).toBe(true);
      // The training copy of the head moved, the model's original did not.
      expect(base.get('classifier.weight')).toEqual(Array.from(model.weights.get('classifier.weight')!.dataSync()));
      if (trainLayerNorms) for (const [n, v] of base) if (/LayerNorm/.test(n) && /\.layer\./.test(n)) model.weights.get(n)!.assign(tf.tensor(v, model.weights.get(n)!.shape));
      opt.dispose();
      adapter.dispose();
    }
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it('gradients match central finite differences (a random direction per tensor)', async () => {
    const { model, batch } = await setup('tiny-bert');
    const adapter = new Bottleneck(model, { ...HOULSBY, nonLinearity: 'gelu', trainLayerNorms: true }, 11);
    // Away from the zero start, so that the down-projection has a gradient too.
    let i = 100;
    for (const p of adapter.up.values()) p.w.assign(tf.randomNormal(p.w.shape, 0, 0.5, 'float32', i++));
    const trainable = adapter.trainable();
    const opts = { trainable, adapters: [adapter], overrides: adapter.overrides };
    const { loss, correct, grads } = gradients(model, batch, opts);
    const lossAt = () =>
      tf.tidy(() => crossEntropy(model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask }, { training: true, ...opts }).logits, batch.labels).dataSync()[0]);
    const checked = [
      'bert.encoder.layer.0.attention.output.dense.adapter.down.weight',
      'bert.encoder.layer.0.attention.output.dense.adapter.down.bias',
      'bert.encoder.layer.1.output.dense.adapter.up.weight',
      'bert.encoder.layer.1.output.dense.adapter.up.bias',
      'bert.encoder.layer.0.output.LayerNorm.weight',
      'classifier.weight',
    ];
    const eps = 1e-2;
    for (const name of checked) {
      const v = trainable.get(name)!;
      const original = v.clone();
      const dir = tf.randomNormal(v.shape, 0, 1, 'float32', i++);
      v.assign(tf.tidy(() => tf.add(original, tf.mul(dir, eps))));
      const plus = lossAt();
      v.assign(tf.tidy(() => tf.sub(original, tf.mul(dir, eps))));
      const minus = lossAt();
      v.assign(original);
      const numeric = (plus - minus) / (2 * eps);
      const analytic = tf.tidy(() => tf.sum(tf.mul(grads.get(name)!, dir)).dataSync()[0]);
      expect(Math.abs(numeric - analytic), `${name}: ${numeric} vs ${analytic}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(analytic));
      expect(Math.abs(analytic), name).toBeGreaterThan(1e-4);
      tf.dispose([original, dir]);
    }
    tf.dispose([loss, correct, ...grads.values(), ...Object.values(batch)]);
    adapter.dispose();
    model.dispose();
  });
});
