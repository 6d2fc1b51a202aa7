/* eslint-disable no-restricted-imports -- the test reads the shared tiny checkpoints and AG News rows */
/**
 * Training techniques and gradual unfreezing in the pretrained loop, end to end through the
 * registry on the CPU backend: which tensors each unfreezing period trains (the others unchanged
 * bit for bit), every switch training a few steps (with and without a teacher) with a flat tensor
 * count, and a run with techniques on resumed from a mid-epoch checkpoint to the same weights.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Example } from '../../data/types';
import { parseExperimentConfig } from '../../experiment/config';
import { createAssetStore } from '../../storage/asset-store';
import { memoryStore } from '../../storage/memory';
import { decodeSafetensors } from '../../storage/safetensors';
import { parseAgNewsCsv } from '../../text/agnews-csv';
import type { FitContext, ModelArtifact } from '../estimator';
import { createEstimator } from '../registry';
import { curriculumSchema } from '../../train/techniques/config';
import { epochSizes } from '../../train/techniques/curriculum';

const ROOT = resolve(import.meta.dirname, '../../../..');
const MODELS = resolve(ROOT, '..', 'shared', 'models');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'train.csv');
const present = existsSync(`${MODELS}/tiny-bert/model.safetensors`) && existsSync(DATA);
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const rows: Example[] = present ? parseAgNewsCsv(readFileSync(DATA, 'utf8'), 64).map((r, i) => ({ id: `train:${i}`, ...r })) : [];
const assets = createAssetStore({ store: memoryStore(), readFile: async (p) => new Uint8Array(readFileSync(p)) });
/** A teacher that leans to each text's own class. */
const teacherOf = (train: Example[]) => train.map((e) => Float32Array.from(classes, (_, c) => (c === e.label ? 0.7 : 0.1)));

const config = (model: Record<string, unknown>, base = 'tiny-bert') =>
  parseExperimentConfig({ model: { type: 'pretrained', base: `file:${MODELS}/${base}`, maxLength: 32, ...model } }).model;

async function fit(model: Record<string, unknown>, train: Example[], extra: Partial<FitContext> = {}, base?: string) {
  const est = createEstimator(config(model, base));
  const steps: { loss: number; tensors: number }[] = [];
  const logs: string[] = [];
  const summary = await est.fit(train, {
    classes,
    seed: 5,
    assets,
    ...extra,
    onEvent: (e) => {
      if (e.type === 'step') steps.push({ loss: e.loss, tensors: tf.memory().numTensors });
      if (e.type === 'log') logs.push(e.message);
    },
  });
  return { est, steps, logs, summary };
}

const weights = (a: ModelArtifact) => new Map(Object.entries(a.tensors).flatMap(([k, t]) => (k.startsWith('w.') ? [[k.slice(2), t.data as Float32Array] as const] : [])));
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

describe.skipIf(!present)('gradual unfreezing (tiny-bert, full fine-tuning, CPU backend)', { timeout: 240_000 }, () => {
  it('trains the head, then layer 1, then layer 0, then the embeddings, one step each; the rest stays bit for bit', async () => {
    const snapshots: ModelArtifact[] = [];
    const model = { method: 'full', train: { lr: 1e-2, batchSize: 16, epochs: 2, warmupRatio: 0, layerDecay: 0.8, unfreeze: { every: 1, unit: 'step' } } };
    const { est, logs, summary } = await fit(model, rows, { checkpoints: { everySteps: 1, save: async (slot, a) => void (slot === 'latest' && snapshots.push(a)) } });
    expect(summary.steps).toBe(8);
    snapshots.push(await est.save());
    expect(snapshots).toHaveLength(8);
    const base = decodeSafetensors(new Uint8Array(readFileSync(`${MODELS}/tiny-bert/model.safetensors`)), 'model.safetensors').tensors;
    const kind = (n: string) => (/embeddings/.test(n) ? 'embeddings' : (/\.layer\.(\d)\./.exec(n)?.[0] ?? 'head'));
    const expected = [['head'], ['head', '.layer.1.'], ['head', '.layer.1.', '.layer.0.'], ['head', '.layer.1.', '.layer.0.', 'embeddings']];
    for (let k = 0; k < snapshots.length; k++) {
      const now = weights(snapshots[k]);
      const before = k === 0 ? new Map(Object.entries(base).map(([n, t]) => [n, t.data as Float32Array])) : weights(snapshots[k - 1]);
      const changed = new Set<string>();
      for (const [n, w] of now) {
        const prev = before.get(n);
        // The new head has no weights in the checkpoint to compare with at the first step.
        if (prev ? !same(w, prev) : kind(n) === 'head') changed.add(kind(n));
        else if (!prev) throw new Error(`${n} is missing from the checkpoint`);
      }
      expect([...changed].sort(), `step ${k + 1}`).toEqual([...expected[Math.min(k, 3)]].sort());
    }
    expect(logs.filter((m) => m.startsWith('gradual unfreezing'))).toHaveLength(4);
    est.dispose();
  });

  it('refuses a schedule with nothing to unfreeze, with the field named', async () => {
    const model = { method: 'full', freeze: { embeddings: true, layers: 2 }, train: { epochs: 1, unfreeze: { every: 1 } } };
    await expect(fit(model, rows)).rejects.toThrow(/model\.train\.unfreeze: .*one depth/);
  });
});

const SWITCHES: [string, Record<string, unknown>][] = [
  ['fgm', { adversarial: { method: 'fgm' } }],
  ['pgd', { adversarial: { method: 'pgd', steps: 2 } }],
  ['freelb', { adversarial: { method: 'freelb', steps: 2 } }],
  ['rdrop', { rdrop: { alpha: 1 } }],
  ['mixup', { mixup: { alpha: 0.4 } }],
  ['focal', { focal: { gamma: 2, alpha: 'balanced' } }],
  ['classWeights', { classWeights: 'balanced' }],
  ['curriculum length', { curriculum: { score: 'length', pacing: 'linear', start: 0.5, fullAt: 0.5 } }],
  ['curriculum self-paced', { curriculum: { score: 'self-paced', start: 0.5, fullAt: 0.5 } }],
];

describe.skipIf(!present)('each technique trains with a flat tensor count (tiny-bert, CPU backend)', { timeout: 600_000 }, () => {
  const train = rows.slice(0, 16);
  for (const [name, techniques] of SWITCHES) {
    it(name, async () => {
      for (const teacher of [false, true]) {
        const model = { method: 'full', train: { lr: 1e-3, batchSize: 8, epochs: 2, logEvery: 1, techniques } };
        const { est, steps } = await fit(model, train, teacher ? { softTargets: { probs: teacherOf(train), alpha: 0.5, temperature: 2 } } : {});
        expect(steps.length, `${name}, teacher ${teacher}`).toBeGreaterThanOrEqual(3);
        expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true);
        // The first step creates AdamW's moments; nothing accumulates after it.
        expect(new Set(steps.slice(1).map((s) => s.tensors)).size, `${name}, teacher ${teacher}`).toBe(1);
        est.dispose();
      }
    });
  }

  it('a curriculum uses fewer examples in the first epoch (fewer steps in all)', async () => {
    const plain = await fit({ method: 'lora', train: { batchSize: 8, epochs: 2 } }, train);
    const curriculum = curriculumSchema.parse({ score: 'length', start: 0.5, fullAt: 0.5 });
    const paced = await fit({ method: 'lora', train: { batchSize: 8, epochs: 2, techniques: { curriculum } } }, train);
    const labels = train.map((e) => e.label);
    const first = epochSizes(curriculum, labels, 2)[0];
    expect(first).toBeLessThan(train.length);
    expect(plain.summary.steps).toBe(4);
    expect(paced.summary.steps).toBe(Math.ceil(first / 8) + 2);
    plain.est.dispose();
    paced.est.dispose();
  });

  it('distilbert: adversarial, R-Drop and mixup through its own hooks, LoRA with unfreezing', async () => {
    const techniques = { adversarial: { method: 'fgm' }, rdrop: { alpha: 0.5 }, mixup: { alpha: 0.2 } };
    const model = { method: 'lora', train: { lr: 1e-2, batchSize: 8, epochs: 2, logEvery: 1, unfreeze: { every: 1 }, techniques } };
    const { est, steps } = await fit(model, train, {}, 'tiny-distilbert');
    expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    est.dispose();
  });
});

describe.skipIf(!present)('resume with techniques on (tiny-bert, CPU backend)', { timeout: 240_000 }, () => {
  it('a run killed mid-epoch and resumed ends with the same weights as an uninterrupted one', async () => {
    const train = rows.slice(0, 40);
    const techniques = {
      adversarial: { method: 'pgd', steps: 2 },
      rdrop: { alpha: 1 },
      mixup: { alpha: 0.4 },
      focal: { gamma: 2 },
      curriculum: { score: 'self-paced', start: 0.5, fullAt: 0.5 },
    };
    const model = { method: 'full', train: { lr: 1e-3, batchSize: 8, epochs: 2, layerDecay: 0.8, unfreeze: { every: 2, unit: 'step' }, checkpointEvery: 2, techniques } };
    const extra = { softTargets: { probs: teacherOf(train), alpha: 0.7, temperature: 2 } };
    const saved: ModelArtifact[] = [];
    const whole = await fit(model, train, { ...extra, checkpoints: { everySteps: 2, save: async (slot, a) => void (slot === 'latest' && saved.push(a)) } });
    const final = await whole.est.save();
    const mid = saved.find((a) => {
      const s = a.meta.trainState as { batch: number; epoch: number; subset?: number[] };
      return s.epoch === 1 && s.batch > 0 && !!s.subset;
    });
    expect(mid).toBeDefined();
    const resumed = await fit(model, train, { ...extra, resume: mid });
    const again = await resumed.est.save();
    for (const [k, t] of Object.entries(final.tensors)) expect(same(again.tensors[k].data, t.data), k).toBe(true);
    whole.est.dispose();
    resumed.est.dispose();
  });
});
