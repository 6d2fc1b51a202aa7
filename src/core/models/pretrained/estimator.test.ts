/* eslint-disable no-restricted-imports -- the test reads the shared tiny-bert folder and AG News rows */
/**
 * The pretrained tier end to end through the registry, on the CPU backend: tiny-bert fine-tuned
 * on 64 AG News rows with LoRA and in full, read from its folder through the asset store.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Example } from '../../data/types';
import { parseExperimentConfig } from '../../experiment/config';
import { createAssetStore } from '../../storage/asset-store';
import { memoryStore } from '../../storage/memory';
import { parseAgNewsCsv } from '../../text/agnews-csv';
import { decodeSafetensors } from '../../storage/safetensors';
import { sha256Hex } from '../../util/hash';
import type { FitContext, ModelArtifact } from '../estimator';
import { createEstimator, loadEstimator } from '../registry';
import type { TrainEvent } from '../../train/events';

const ROOT = resolve(import.meta.dirname, '../../../..');
const TINY = resolve(ROOT, '..', 'shared', 'models', 'tiny-bert');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'train.csv');
const present = existsSync(`${TINY}/model.safetensors`) && existsSync(DATA);
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const rows: Example[] = present ? parseAgNewsCsv(readFileSync(DATA, 'utf8'), 96).map((r, i) => ({ id: `train:${i}`, ...r })) : [];
const train = rows.slice(0, 64);
const validation = rows.slice(64);
const assets = createAssetStore({ store: memoryStore(), readFile: async (p) => new Uint8Array(readFileSync(p)) });

const config = (model: Record<string, unknown>) => parseExperimentConfig({ model: { type: 'pretrained', base: `file:${TINY}`, maxLength: 32, ...model } }).model;

async function fit(model: Record<string, unknown>, extra: Partial<FitContext> = {}) {
  const est = createEstimator(config(model));
  const epochs: Extract<TrainEvent, { type: 'epoch' }>[] = [];
  const tensors: number[] = [];
  const summary = await est.fit(train, {
    classes,
    validation,
    seed: 7,
    assets,
    ...extra,
    onEvent: (e) => {
      if (e.type !== 'epoch') return;
      epochs.push(e);
      tensors.push(tf.memory().numTensors);
    },
  });
  return { est, epochs, tensors, summary };
}

const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((r, i) => Math.max(...r.map((x, j) => Math.abs(x - b[i][j])))));
const texts = ['Stocks slide as oil climbs', 'Federer wins the final in straight sets', 'New chip doubles battery life'];

// Each fit takes seconds on an idle machine; the margin is for a loaded one.
describe.skipIf(!present)('PretrainedEstimator on tiny-bert (CPU backend)', { timeout: 240_000 }, () => {
  it('LoRA: loss falls, validation reported, the artifact holds adapters and head only, with refs to the base files', async () => {
    const { est, epochs, tensors, summary } = await fit({ method: 'lora', lora: { r: 4, alpha: 8, dropout: 0 }, train: { lr: 1e-2, batchSize: 16, epochs: 4, warmupRatio: 0 } });
    expect(summary).toMatchObject({ epochs: 4, steps: 16 });
    expect(epochs.at(-1)!.train.loss).toBeLessThan(epochs[0].train.loss);
    expect(epochs.every((e) => typeof e.validation?.accuracy === 'number')).toBe(true);
    expect(new Set(tensors).size).toBe(1);
    // r (in + out) per targeted query/value module of 2 layers, plus the 4 x 32 classifier and its bias.
    expect(est.parameterCount()).toBe(2 * 2 * 4 * (32 + 32) + 4 * 32 + 4);

    const artifact = await est.save();
    // Held as PEFT saves them (peft-format.ts): the LoRA matrices and the head, nothing of the base.
    expect(Object.keys(artifact.tensors).every((k) => /^base_model\.model\.(.*lora_[AB]\.weight|classifier\.)/.test(k))).toBe(true);
    const files = artifact.refs!.map((r) => r.uri.split('/').pop());
    expect(files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']));
    const weights = new Uint8Array(readFileSync(`${TINY}/model.safetensors`));
    const ref = artifact.refs!.find((r) => r.uri.endsWith('/model.safetensors'))!;
    expect(ref).toEqual({ uri: `file:${TINY}/model.safetensors`, sha256: await sha256Hex(weights), bytes: weights.length });

    const before = await est.predictProba(texts);
    const loaded = loadEstimator(artifact, { assets });
    expect(maxDiff(await loaded.predictProba(texts), before)).toBeLessThan(1e-6);
    const why = await loaded.explain!(texts[0]);
    expect(why.tokens[0]).toBe('[CLS]');
    expect(why.scores).toHaveLength(why.tokens.length);
    est.dispose();
    loaded.dispose();
  });

  it('bottleneck adapters (Houlsby, LayerNorms trained): loss falls, only adapters, LayerNorms and head saved, save -> load predicts the same', async () => {
    const { est, epochs, tensors } = await fit({
      method: 'adapter',
      adapter: { placement: 'houlsby', reduction: 8, trainLayerNorms: true },
      train: { lr: 5e-3, batchSize: 16, epochs: 3, warmupRatio: 0 },
    });
    expect(epochs.at(-1)!.train.loss).toBeLessThan(epochs[0].train.loss);
    expect(new Set(tensors).size).toBe(1);
    // 4 adapters of 32 -> 4 -> 32 (weights and biases), 4 LayerNorms of 2 x 32, the classifier.
    expect(est.parameterCount()).toBe(4 * (4 * 32 + 4 + 32 * 4 + 32) + 4 * 2 * 32 + 4 * 32 + 4);
    const artifact = await est.save();
    expect(Object.keys(artifact.tensors).every((k) => /^w\.(.*\.adapter\.(down|up)\.|.*LayerNorm\.|classifier\.)/.test(k))).toBe(true);
    const loaded = loadEstimator(artifact, { assets });
    expect(maxDiff(await loaded.predictProba(texts), await est.predictProba(texts))).toBeLessThan(1e-6);
    expect(loaded.parameterCount()).toBe(est.parameterCount());
    est.dispose();
    loaded.dispose();
  });

  it('full fine-tuning: loss falls, save -> load predicts the same, the artifact references only the tokenizer', async () => {
    const { est, epochs, tensors } = await fit({ method: 'full', train: { lr: 2e-3, batchSize: 16, epochs: 3, layerDecay: 0.8, accumulate: 2 } });
    expect(epochs.at(-1)!.train.loss).toBeLessThan(epochs[0].train.loss);
    expect(new Set(tensors).size).toBe(1);
    const artifact = await est.save();
    expect(artifact.refs!.map((r) => r.uri.split('/').pop()).sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    const loaded = loadEstimator(artifact, { assets });
    expect(maxDiff(await loaded.predictProba(texts), await est.predictProba(texts))).toBeLessThan(1e-6);
    expect(loaded.parameterCount()).toBe(est.parameterCount());
    est.dispose();
    loaded.dispose();
  });

  it('resumes from a mid-epoch checkpoint to the same weights as an uninterrupted run', async () => {
    const model = { method: 'lora', lora: { r: 4, alpha: 8, dropout: 0.1 }, train: { lr: 1e-2, batchSize: 8, epochs: 2, checkpointEvery: 3 } };
    const saved: ModelArtifact[] = [];
    const whole = await fit(model, { checkpoints: { everySteps: 3, save: async (slot, a) => void (slot === 'latest' && saved.push(a)) } });
    const final = await whole.est.save();
    const mid = saved.find((a) => (a.meta.trainState as { batch: number; epoch: number }).batch > 0 && (a.meta.trainState as { epoch: number }).epoch === 1)!;
    expect(mid).toBeDefined();
    const resumed = await fit(model, { resume: mid });
    const again = await resumed.est.save();
    for (const [k, t] of Object.entries(final.tensors)) expect(Array.from(again.tensors[k].data), k).toEqual(Array.from(t.data));
    whole.est.dispose();
    resumed.est.dispose();
  });

  it('freezes the embeddings and the first layers, and honours a halt and a cancel', async () => {
    const { est } = await fit({ method: 'full', freeze: { embeddings: true, layers: 1 }, train: { lr: 1e-3, batchSize: 32, epochs: 1 } });
    const saved = (await est.save()).tensors;
    const base = decodeSafetensors(new Uint8Array(readFileSync(`${TINY}/model.safetensors`)), 'model.safetensors').tensors;
    const same = (name: string) => Array.from(saved[`w.${name}`].data).every((x, i) => x === base[name].data[i]);
    expect(same('bert.embeddings.word_embeddings.weight')).toBe(true);
    expect(same('bert.encoder.layer.0.output.dense.weight')).toBe(true);
    expect(same('bert.encoder.layer.1.output.dense.weight')).toBe(false);
    est.dispose();

    const halted = await fit({ method: 'lora' }, { control: { halt: 'halted by a monitor', lrScale: 1 } });
    expect(halted.summary).toMatchObject({ steps: 0, stoppedEarly: 'halted by a monitor' });
    halted.est.dispose();
    const signal = AbortSignal.abort();
    await expect(fit({ method: 'lora' }, { signal })).rejects.toThrow(/cancel/i);
  });

  it("distils: a teacher's soft targets reach the fine-tune loop (checked there, and they steer the student)", async () => {
    const model = { method: 'lora', lora: { r: 4, alpha: 8, dropout: 0 }, train: { lr: 3e-2, batchSize: 16, epochs: 3, warmupRatio: 0 } };
    // A teacher sure that every text is World; with alpha 0 only the teacher's loss counts.
    const probs = train.map(() => Float32Array.from([1, 0, 0, 0]));
    const { est } = await fit(model, { softTargets: { probs, alpha: 0, temperature: 1 } });
    const world = (await est.predictProba(texts)).map((p) => p[0]);
    expect(Math.min(...world)).toBeGreaterThan(0.5);
    est.dispose();
    await expect(fit(model, { softTargets: { probs: probs.slice(1), alpha: 0.5, temperature: 2 } })).rejects.toThrow(/63 rows of probabilities for 64 training examples/);
  });

  it('refuses to fit without an asset store and to load a base whose files changed', async () => {
    const est = createEstimator(config({ method: 'bitfit' }));
    await expect(est.fit(train, { classes, seed: 1 })).rejects.toThrow(/asset store/);
    const { est: fitted } = await fit({ method: 'bitfit', train: { epochs: 1, batchSize: 32 } });
    const artifact = await fitted.save();
    const tampered = { ...artifact, refs: artifact.refs!.map((r) => (r.uri.endsWith('model.safetensors') ? { ...r, sha256: '0'.repeat(64) } : r)) };
    await expect(loadEstimator(tampered, { assets }).predictProba(texts)).rejects.toThrow(/sha256 mismatch/);
    fitted.dispose();
  });
});
