/* eslint-disable no-restricted-imports -- the test reads the shared tiny checkpoints, their PEFT adapters and AG News rows */
/**
 * PEFT's format for runs, on the CPU backend: a LoRA run's adapter files have PEFT's names and
 * shapes (those PEFT itself wrote in ../shared/models/tiny-bert/lora-init/), an IA3 run's reload
 * exactly, and an adapter made in Python's PEFT, loaded as a run's adapter, gives PEFT's loss at
 * that adapter (train-reference.json's first LoRA loss, computed by PyTorch + PEFT from it).
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
import { createEstimator, loadEstimator } from '../registry';
import type { TrainReference } from './fixtures';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, peftFiles, peftOfArtifact, readPeftAdapter, withPeftAdapter } from './peft-format';

const ROOT = resolve(import.meta.dirname, '../../../..');
const MODELS = resolve(ROOT, '..', 'shared', 'models');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'train.csv');
const present = existsSync(`${MODELS}/tiny-bert/lora-init/${ADAPTER_WEIGHTS}`) && existsSync(DATA);
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const train: Example[] = present ? parseAgNewsCsv(readFileSync(DATA, 'utf8'), 16).map((r, i) => ({ id: `train:${i}`, ...r })) : [];
const assets = createAssetStore({ store: memoryStore(), readFile: async (p) => new Uint8Array(readFileSync(p)) });
const folder = (dir: string) => async (name: string) => (existsSync(`${dir}/${name}`) ? new Uint8Array(readFileSync(`${dir}/${name}`)) : undefined);
const shapes = (bytes: Uint8Array) => Object.fromEntries(Object.entries(decodeSafetensors(bytes).tensors).map(([n, t]) => [n, t.shape]));

async function fitted(name: string, model: Record<string, unknown>) {
  const cfg = parseExperimentConfig({ model: { type: 'pretrained', base: `file:${MODELS}/${name}`, maxLength: 32, ...model } }).model;
  const est = createEstimator(cfg);
  await est.fit(train, { classes, seed: 3, assets });
  return est;
}

describe.skipIf(!present)("PEFT's adapter format for runs (CPU backend)", { timeout: 240_000 }, () => {
  it("a LoRA run's adapter files have PEFT's names, shapes and config, and reload to the same probabilities", async () => {
    const est = await fitted('tiny-bert', {
      method: 'lora',
      lora: { r: 4, alpha: 8, dropout: 0, targetModules: ['query', 'value'] },
      train: { epochs: 1, batchSize: 8, lr: 1e-2 },
    });
    const artifact = await est.save();
    const files = peftFiles(peftOfArtifact(artifact)!);
    const python = await folder(`${MODELS}/tiny-bert/lora-init`)(ADAPTER_WEIGHTS);
    expect(shapes(files[ADAPTER_WEIGHTS])).toEqual(shapes(python!));
    const config = JSON.parse(new TextDecoder().decode(files[ADAPTER_CONFIG])) as Record<string, unknown>;
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'SEQ_CLS',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0,
      target_modules: ['query', 'value'],
      modules_to_save: ['classifier', 'score'],
      base_model_name_or_path: `${MODELS}/tiny-bert`,
      revision: null,
    });
    // Every key PEFT's own file has that this writer sets means the same thing there.
    const theirs = JSON.parse(readFileSync(`${MODELS}/tiny-bert/lora-init/${ADAPTER_CONFIG}`, 'utf8')) as Record<string, unknown>;
    for (const k of ['peft_type', 'task_type', 'r', 'lora_alpha', 'target_modules', 'modules_to_save', 'bias', 'use_rslora', 'fan_in_fan_out'])
      expect(config[k], k).toEqual(theirs[k]);
    // The artifact holds nothing else trained: PEFT's tensors only.
    expect(Object.keys(artifact.tensors).every((k) => k.startsWith('base_model.model.'))).toBe(true);

    const texts = ['Stocks slide as oil climbs', 'Federer wins the final'];
    const loaded = loadEstimator(artifact, { assets });
    const [a, b] = [await est.predictProba(texts), await loaded.predictProba(texts)];
    expect(Math.max(...a.flatMap((r, i) => [...r].map((x, j) => Math.abs(x - b[i][j]))))).toBeLessThan(1e-6);
    est.dispose();
    loaded.dispose();
  });

  it("an IA3 run holds PEFT's ia3_l vectors ([1, in] feed-forward, [out, 1] otherwise) and reloads exactly", async () => {
    const est = await fitted('tiny-distilbert', { method: 'ia3', train: { epochs: 1, batchSize: 8, lr: 3e-2 } });
    const artifact = await est.save();
    const peft = peftOfArtifact(artifact)!;
    expect(peft.config).toMatchObject({ peft_type: 'IA3', task_type: 'SEQ_CLS', target_modules: ['k_lin', 'v_lin', 'lin2'], feedforward_modules: ['lin2'] });
    expect(peft.tensors['base_model.model.distilbert.transformer.layer.0.ffn.lin2.ia3_l'].shape).toEqual([1, 64]);
    expect(peft.tensors['base_model.model.distilbert.transformer.layer.0.attention.k_lin.ia3_l'].shape).toEqual([32, 1]);
    const texts = ['Oil prices rise'];
    const expected = Array.from((await est.predictProba(texts))[0]);
    const parameters = est.parameterCount();
    est.dispose();
    // Twice: the first load may cache the base's weights; the second must leave nothing more behind.
    const counts: number[] = [];
    for (let i = 0; i < 2; i++) {
      const loaded = loadEstimator(artifact, { assets });
      expect(Array.from((await loaded.predictProba(texts))[0])).toEqual(expected);
      expect(loaded.parameterCount()).toBe(parameters);
      loaded.dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  for (const name of ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3']) {
    it(`${name}: lora-init/ (written by Python's PEFT) as a run's adapter gives PEFT's loss on the reference batch`, async () => {
      const ref = JSON.parse(readFileSync(`${MODELS}/${name}/train-reference.json`, 'utf8')) as TrainReference;
      const est = await fitted(name, { method: 'lora', train: { epochs: 1, batchSize: 16 } });
      const adapter = await readPeftAdapter(folder(`${MODELS}/${name}/lora-init`));
      const run = loadEstimator(withPeftAdapter(await est.save(), adapter), { assets });
      const probs = await run.predictProba(ref.batch.texts);
      const loss = -probs.reduce((s, p, i) => s + Math.log(p[ref.batch.labels[i]]), 0) / probs.length;
      expect(Math.abs(loss - ref.lora.losses[0])).toBeLessThan(1e-4);
      // What the run saves again is PEFT's file, tensor for tensor.
      const again = peftOfArtifact(await run.save())!;
      for (const [n, t] of Object.entries(adapter.tensors)) expect(Array.from(again.tensors[n].data), n).toEqual(Array.from(t.data));
      est.dispose();
      run.dispose();
    });
  }

  it('refuses what is not a sequence-classification LoRA or IA3 adapter, naming it', async () => {
    const est = await fitted('tiny-bert', { method: 'lora', train: { epochs: 1, batchSize: 16 } });
    const artifact = await est.save();
    const adapter = await readPeftAdapter(folder(`${MODELS}/tiny-bert/lora-init`));
    expect(() => withPeftAdapter(artifact, { ...adapter, config: { ...adapter.config, peft_type: 'PREFIX_TUNING' } })).toThrow(/PREFIX_TUNING.*not supported/);
    const causal = loadEstimator(withPeftAdapter(artifact, { ...adapter, config: { ...adapter.config, task_type: 'CAUSAL_LM' } }), { assets });
    await expect(causal.predictProba(['x'])).rejects.toThrow(/task_type 'CAUSAL_LM' is not SEQ_CLS/);
    await expect(readPeftAdapter(folder(`${MODELS}/tiny-bert`))).rejects.toThrow(/needs adapter_config.json and adapter_model.safetensors/);
    est.dispose();
  });
});
