// Tests run under Node; reading the shared model files and the fixtures is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../../storage/safetensors';
import type { FloatTensor, HfCheckpoint } from '../checkpoint';
import { applyGradients } from '../finetune';
import { maxAbsDiff, tinyModels } from '../fixtures';
import { withDropout } from '../model';
import { GroupedAdamW } from '../param-groups';
import { mlmHeadSpec } from './head';
import { MlmModel } from './mlm-model';

const tiny = tinyModels(fs);
const FIXTURES = 'src/core/models/pretrained/mlm/test-fixtures';

interface MlmReference {
  masked_input_ids: number[][];
  attention_mask: number[][];
  labels: number[][];
  optimizer: { lr: number; betas: [number, number]; eps: number; weight_decay: number };
  dropout: number;
  losses: number[];
  head: string[];
}

/** The checkpoint with the fixture's head tensors added, as a *ForMaskedLM save holds them. */
function withHead(c: HfCheckpoint, name: string): HfCheckpoint {
  const head = decodeSafetensors(new Uint8Array(fs.readFileSync(`${FIXTURES}/${name}/head.safetensors`))).tensors;
  const weights: Record<string, FloatTensor> = { ...c.weights };
  for (const [n, t] of Object.entries(head)) weights[n] = { shape: t.shape, data: t.data as Float32Array };
  return { ...c, weights };
}

describe.skipIf(!tiny.present)("MLM loss and AdamW steps match PyTorch's *ForMaskedLM (CPU backend)", () => {
  for (const name of ['tiny-bert', 'tiny-distilbert', 'tiny-roberta']) {
    it(`${name}: loss before and after 3 torch AdamW steps to 1e-4, tensor count flat`, async () => {
      const ref = JSON.parse(fs.readFileSync(`${FIXTURES}/${name}/reference.json`, 'utf8')) as MlmReference;
      const c = withHead(await tiny.load(name), name);
      const model = MlmModel.fromCheckpoint(c, { config: withDropout(c.config, ref.dropout) });
      expect(model.freshHead).toBe(false);
      const o = ref.optimizer;
      const opt = new GroupedAdamW(model.trainable(), 0, 1, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay });
      const batch = { inputIds: ref.masked_input_ids, attentionMask: ref.attention_mask, labels: ref.labels };
      const losses: number[] = [];
      const counts: number[] = [];
      for (let s = 0; s < ref.losses.length; s++) {
        if (s === ref.losses.length - 1) {
          const l = tf.tidy(() => model.loss(batch));
          losses.push(l.dataSync()[0]);
          l.dispose();
          break;
        }
        const { loss, hits, grads } = model.gradients(batch, s);
        losses.push(loss.dataSync()[0]);
        tf.dispose([loss, hits, applyGradients(grads, { optimizer: opt })]);
        counts.push(tf.memory().numTensors);
      }
      expect(maxAbsDiff(losses, ref.losses)).toBeLessThan(1e-4);
      expect(new Set(counts.slice(1)).size).toBe(1);
      opt.dispose();
      model.dispose();
    });
  }

  it('a sequence classifier gets a fresh head: seeded, LayerNorm at identity, bias zero, normal(0, initializer_range)', async () => {
    const c = await tiny.load('tiny-bert');
    const a = MlmModel.fromCheckpoint(c, { seed: 3 });
    const b = MlmModel.fromCheckpoint(c, { seed: 3 });
    expect(a.freshHead).toBe(true);
    const dense = a.head.get('cls.predictions.transform.dense.weight')!;
    expect(dense.dataSync()).toEqual(b.head.get('cls.predictions.transform.dense.weight')!.dataSync());
    const values = Array.from(dense.dataSync());
    const std = Math.sqrt(values.reduce((s, x) => s + x * x, 0) / values.length);
    expect(std).toBeGreaterThan(0.15);
    expect(std).toBeLessThan(0.25);
    expect(new Set(a.head.get('cls.predictions.transform.LayerNorm.weight')!.dataSync())).toEqual(new Set([1]));
    expect(new Set(a.head.get('cls.predictions.bias')!.dataSync())).toEqual(new Set([0]));
    a.dispose();
    b.dispose();
  });

  it('refuses an architecture without a supported MLM head, naming the supported ones', async () => {
    const c = await tiny.load('tiny-electra');
    expect(() => mlmHeadSpec(c.config)).toThrow(/supports model_type bert, distilbert, roberta; got 'electra'/);
    expect(() => MlmModel.fromCheckpoint(c)).toThrow(/ELECTRA's generator/);
  });

  it('refuses a checkpoint with part of a head', async () => {
    const c = withHead(await tiny.load('tiny-bert'), 'tiny-bert');
    delete c.weights['cls.predictions.transform.LayerNorm.bias'];
    expect(() => MlmModel.fromCheckpoint(c)).toThrow(/head is incomplete: cls.predictions.transform.LayerNorm.bias is missing/);
  });
});
