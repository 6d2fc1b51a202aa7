/* eslint-disable no-restricted-imports -- the test reads the shared tiny checkpoints and AG News rows, and writes the exported folder to a temporary directory */
/**
 * The Hugging Face export against the product's own loader: tiny-bert runs (LoRA, IA3, BitFit,
 * full) and imported DistilBERT / RoBERTa / ELECTRA / DeBERTa-v3 runs are exported, the folder is
 * written to disk and re-opened through import-model, and the
 * imported run's probabilities on AG News test texts equal the original run's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetMeta, Example } from '../data/types';
import { parseExperimentConfig } from '../experiment/config';
import { importModel } from '../lab/import-model';
import type { ModelArtifact } from '../models/estimator';
import { createEstimator, loadEstimator } from '../models/registry';
import { RunFolder } from '../runs/run-folder';
import { createAssetStore } from '../storage/asset-store';
import { memoryStore } from '../storage/memory';
import { decodeSafetensors } from '../storage/safetensors';
import { parseAgNewsCsv } from '../text/agnews-csv';
import { hfFiles, peftExportFiles } from './hf';
import { mergedPretrained, unfoldable } from './merged';

const ROOT = resolve(import.meta.dirname, '../../..');
const TINY = resolve(ROOT, '..', 'shared', 'models', 'tiny-bert');
const TEST = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'test.csv');
const TRAIN = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'train.csv');
const present = existsSync(`${TINY}/model.safetensors`) && existsSync(TEST);
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const train: Example[] = present ? parseAgNewsCsv(readFileSync(TRAIN, 'utf8'), 16).map((r, i) => ({ id: `train:${i}`, ...r })) : [];
const test: Example[] = present ? parseAgNewsCsv(readFileSync(TEST, 'utf8'), 12).map((r, i) => ({ id: `validation:${i}`, ...r })) : [];
const store = memoryStore();
const assets = createAssetStore({ store, readFile: async (p) => new Uint8Array(readFileSync(p)) });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** One optimizer step on 16 rows: enough to move every trained tensor away from its start. */
async function trained(model: Record<string, unknown>): Promise<{ artifact: ModelArtifact; probs: Float32Array[] }> {
  const cfg = parseExperimentConfig({
    model: { type: 'pretrained', base: `file:${TINY}`, maxLength: 32, train: { lr: 5e-2, batchSize: 16, epochs: 1, warmupRatio: 0 }, ...model },
  }).model;
  const est = createEstimator(cfg);
  await est.fit(train, { classes, seed: 3, assets });
  const probs = await est.predictProba(test.map((e) => e.text));
  const artifact = await est.save();
  est.dispose();
  return { artifact, probs };
}

/** Writes the files to a fresh folder and imports it as a run, as `agnews import-model --from DIR` does. */
async function reimported(files: Record<string, Uint8Array>, maxLength: number): Promise<Float32Array[]> {
  const dir = mkdtempSync(join(tmpdir(), 'agnews-hf-'));
  dirs.push(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const run = RunFolder.inStore(memoryStore(), 'imported');
  const meta = { id: 'ds', name: 'ag test slice', source: 'test', classes, fingerprint: 'sha256:slice' } as DatasetMeta;
  await importModel({
    from: `file:${dir}`,
    data: { meta, train: [], validation: test },
    run,
    runId: 'imported',
    maxLength,
    backend: { backend: 'cpu', skipped: [] },
    assets,
    hub: { store },
  });
  const model = loadEstimator(await run.loadModel(), { assets });
  try {
    return await model.predictProba(test.map((e) => e.text));
  } finally {
    model.dispose();
  }
}

const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((r, i) => Math.max(...r.map((x, j) => Math.abs(x - b[i][j])))));

describe.skipIf(!present)('Hugging Face export of tiny-bert runs', { timeout: 300_000 }, () => {
  for (const [method, extra] of [
    ['lora', { lora: { r: 4, alpha: 8, dropout: 0 } }],
    ['ia3', {}],
    ['bitfit', {}],
    ['full', {}],
  ] as const) {
    it(`${method}: the exported folder, imported again, gives the run's probabilities to 1e-5`, async () => {
      const { artifact, probs } = await trained({ method, ...extra });
      const before = tf.memory().numTensors;
      const files = await hfFiles(await mergedPretrained(artifact, assets));
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.keys(files).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
      const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as Record<string, unknown>;
      expect(config).toMatchObject({ model_type: 'bert', architectures: ['BertForSequenceClassification'], num_labels: 4, label2id: { World: 0, 'Sci/Tech': 3 } });
      expect(config.id2label).toEqual({ 0: 'World', 1: 'Sports', 2: 'Business', 3: 'Sci/Tech' });
      // transformers' names: prefixed encoder weights and the head, no adapter tensors left.
      const names = Object.keys(decodeSafetensors(files['model.safetensors']).tensors);
      expect(names).toContain('bert.encoder.layer.0.attention.self.query.weight');
      expect(names).toContain('classifier.weight');
      expect(names.filter((n) => /lora_|ia3_|base_model/.test(n))).toEqual([]);
      // The run's token limit is the import's: texts are cut where the run cut them.
      expect(maxDiff(await reimported(files, (artifact.meta as { maxLength: number }).maxLength), probs)).toBeLessThan(1e-5);
    });
  }

  for (const name of ['tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3']) {
    it(`${name}: an imported run exports to a folder that imports back with the same probabilities`, async () => {
      const dir = resolve(TINY, '..', name);
      const run = RunFolder.inStore(memoryStore(), 'source');
      const meta = { id: 'ds', name: 'ag test slice', source: 'test', classes, fingerprint: 'sha256:slice' } as DatasetMeta;
      await importModel({
        from: `file:${dir}`,
        data: { meta, train: [], validation: test },
        run,
        runId: 'source',
        maxLength: 32,
        backend: { backend: 'cpu', skipped: [] },
        assets,
        hub: { store },
      });
      const artifact = await run.loadModel();
      const model = loadEstimator(artifact, { assets });
      const probs = await model.predictProba(test.map((e) => e.text));
      model.dispose();
      const files = await hfFiles(await mergedPretrained(artifact, assets));
      const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as { architectures: string[] };
      expect(config.architectures[0]).toMatch(/^(DistilBert|Roberta|Electra|DebertaV2)ForSequenceClassification$/);
      expect(maxDiff(await reimported(files, 32), probs)).toBeLessThan(1e-5);
    });
  }

  it('a LoRA run also gives its bare adapter in PEFT format; other methods are told why not', async () => {
    const { artifact } = await trained({ method: 'lora', lora: { r: 4, alpha: 8, dropout: 0 } });
    const files = peftExportFiles(artifact);
    expect(Object.keys(files).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    expect(JSON.parse(new TextDecoder().decode(files['adapter_config.json']))).toMatchObject({ peft_type: 'LORA', task_type: 'SEQ_CLS', r: 4 });
    const bitfit = await trained({ method: 'bitfit' });
    expect(() => peftExportFiles(bitfit.artifact)).toThrow(/--format peft needs a LoRA or IA3 run; this run is 'bitfit'/);
  });

  it('refuses what cannot be folded, naming why', async () => {
    const meta = (params: Record<string, unknown>) =>
      ({ kind: 'pretrained', meta: { params: { method: 'lora', pooling: 'cls', ...params } }, tensors: {} }) as unknown as ModelArtifact;
    expect(unfoldable(meta({ method: 'adapter' }))).toMatch(/bottleneck adapters .* cannot be folded/);
    expect(unfoldable(meta({ pooling: 'mean' }))).toMatch(/mean pooling/);
    expect(unfoldable(meta({}))).toBeUndefined();
    await expect(mergedPretrained(meta({ method: 'adapter' }), assets)).rejects.toThrow(/--format bundle/);
  });
});
