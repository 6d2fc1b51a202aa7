/* eslint-disable no-restricted-imports -- the test reads the shared tiny checkpoints and AG News rows, and serves them from a stand-in Hub */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMIT, SHARED_MODELS, startStandInHub, type StandInHub } from '../../../test/stand-in-hub';
import type { DatasetMeta, Example, TrainingData } from '../data/types';
import { loadEstimator } from '../models/registry';
import { readFinishedRun } from '../runs/finished-run';
import { RunFolder } from '../runs/run-folder';
import { createAssetStore } from '../storage/asset-store';
import { memoryStore } from '../storage/memory';
import { parseAgNewsCsv } from '../text/agnews-csv';
import { sha256Hex } from '../util/hash';
import { importModel, matchLabels, type ImportRecord } from './import-model';

const DATA = resolve(import.meta.dirname, '../../../../shared/data/ag_news/test.csv');
const AG = ['World', 'Sports', 'Business', 'Sci/Tech'];
const rows: Example[] = parseAgNewsCsv(readFileSync(DATA, 'utf8'), 24).map((r, i) => ({ id: `validation:${i}`, ...r }));
const expected = (name: string) => JSON.parse(readFileSync(resolve(SHARED_MODELS, name, 'expected.json'), 'utf8')) as { texts: string[]; logits: number[][] };
const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** A dataset whose classes are `classes`, the AG News rows relabelled by name. */
function dataset(classes: string[]): TrainingData {
  const key = (c: string) => c.toLowerCase().replace(/\W/g, '');
  const validation = rows.map((e) => ({ ...e, label: classes.findIndex((c) => key(c) === key(AG[e.label])) }));
  const meta = { id: 'ds', name: 'ag slice', source: 'test', classes, fingerprint: 'sha256:slice' } as DatasetMeta;
  return { meta, train: [], validation };
}

function setUp() {
  const store = memoryStore();
  const assets = createAssetStore({ store, fetch, hubUrl: hub.url, readFile: async (p) => new Uint8Array(readFileSync(p)) });
  return { store, assets, run: RunFolder.inStore(store, 'imported'), hub: { store, fetch, hubUrl: hub.url } };
}

let hub: StandInHub;
beforeAll(async () => {
  hub = await startStandInHub();
});
afterAll(() => hub.close());

describe('importModel', () => {
  it('turns tiny-roberta (a folder) into a finished run whose predictions are PyTorch’s probabilities', async () => {
    const { assets, run, hub: deps } = setUp();
    const dir = resolve(SHARED_MODELS, 'tiny-roberta');
    const result = await importModel({ from: `file:${dir}`, data: dataset(AG), run, runId: 'imported', backend: { backend: 'cpu', skipped: [] }, assets, hub: deps });
    expect(result).toMatchObject({ model: 'pretrained', family: 'pretrained', epochs: 0, data: { train: 0, validation: rows.length } });
    expect(result.validation.accuracy).toBeGreaterThanOrEqual(0);
    expect(result.parameters).toBeGreaterThan(60_000);

    const finished = await readFinishedRun(run, 'imported');
    expect(finished.evals.map((e) => e.file)).toContain('eval-validation.json');
    expect(await run.readJson('predictions-validation.json')).toBeDefined();
    const record = (await run.readJson<ImportRecord>('import.json'))!;
    expect(record.labels).toEqual({ World: 'World', Sports: 'Sports', Business: 'Business', 'Sci/Tech': 'Sci/Tech' });
    expect(record.labelOrderAssumed).toBe(false);
    // The run holds the base by reference only: every file with its sha256 and size, no tensors.
    const weights = new Uint8Array(readFileSync(resolve(dir, 'model.safetensors')));
    expect(record.files.find((f) => f.uri.endsWith('/model.safetensors'))).toEqual({
      uri: `file:${dir}/model.safetensors`,
      sha256: await sha256Hex(weights),
      bytes: weights.length,
    });
    expect(record.files.map((f) => f.uri.split('/').pop()).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const artifact = await run.loadModel();
    expect(Object.keys(artifact.tensors)).toEqual([]);

    const before = tf.memory().numTensors;
    const model = loadEstimator(artifact, { assets });
    const { texts, logits } = expected('tiny-roberta');
    const probs = await model.predictProba(texts);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    probs.forEach((p, i) => softmax(logits[i]).forEach((q, k) => expect(Math.abs(p[k] - q)).toBeLessThan(1e-4)));
  });

  it('reorders the head when the dataset lists the classes in another order, and names the classes by the dataset', async () => {
    const { assets, run, hub: deps } = setUp();
    const classes = ['sci-tech', 'BUSINESS', 'world', 'Sports'];
    await importModel({
      from: `file:${resolve(SHARED_MODELS, 'tiny-bert')}/`,
      data: dataset(classes),
      run,
      runId: 'imported',
      backend: { backend: 'cpu', skipped: [] },
      assets,
      hub: deps,
    });
    const record = (await run.readJson<ImportRecord>('import.json'))!;
    expect(record.labels).toEqual({ 'sci-tech': 'Sci/Tech', BUSINESS: 'Business', world: 'World', Sports: 'Sports' });
    const artifact = await run.loadModel();
    expect(Object.keys(artifact.tensors).sort()).toEqual(['init.classifier.bias', 'init.classifier.weight']);
    const model = loadEstimator(artifact, { assets });
    const { texts, logits } = expected('tiny-bert');
    const probs = await model.predictProba(texts);
    model.dispose();
    const order = classes.map((c) => AG.findIndex((a) => a.toLowerCase().replace(/\W/g, '') === c.toLowerCase().replace(/\W/g, '')));
    probs.forEach((p, i) => order.forEach((j, k) => expect(Math.abs(p[k] - softmax(logits[i])[j])).toBeLessThan(1e-4)));
  });

  it('imports from the Hub: files pinned to the commit, downloaded with progress, predictions as PyTorch’s', async () => {
    const { assets, run, hub: deps } = setUp();
    const progress: number[] = [];
    await importModel({
      from: 'hf:local/tiny-distilbert',
      data: dataset(AG),
      run,
      runId: 'imported',
      backend: { backend: 'cpu', skipped: [] },
      assets,
      hub: deps,
      onEvent: (e) => void (e.type === 'phase' && e.phase.startsWith('Downloading') && progress.push(e.done / e.total)),
    });
    expect(progress.at(-1)).toBe(1);
    const record = (await run.readJson<ImportRecord>('import.json'))!;
    expect(record.commit).toBe(COMMIT);
    expect(record.files.every((f) => f.uri.startsWith(`hf:local/tiny-distilbert@${COMMIT}/`) && f.sha256 && f.bytes)).toBe(true);
    const model = loadEstimator(await run.loadModel(), { assets });
    const { texts, logits } = expected('tiny-distilbert');
    const probs = await model.predictProba(texts);
    model.dispose();
    probs.forEach((p, i) => softmax(logits[i]).forEach((q, k) => expect(Math.abs(p[k] - q)).toBeLessThan(1e-4)));
  });

  it('refuses labels that do not match, listing both sets, and marks the run failed', async () => {
    const { assets, run, hub: deps } = setUp();
    const args = {
      from: `file:${resolve(SHARED_MODELS, 'tiny-bert')}`,
      data: dataset(['Politics', 'Sports', 'Business', 'Sci/Tech']),
      run,
      runId: 'imported',
      backend: { backend: 'cpu' as const, skipped: [] },
      assets,
      hub: deps,
    };
    await expect(importModel(args)).rejects.toThrow(
      /checkpoint labels: World, Sports, Business, Sci\/Tech; dataset classes: Politics, Sports, Business, Sci\/Tech\); unmatched: Politics/,
    );
    expect((await run.meta())!.status).toBe('failed');
    await expect(importModel({ ...args, data: dataset(AG) })).rejects.toThrow(/imported already holds a run .*--force/);
  });

  it('matches labels by name ignoring case and punctuation; unnamed labels only with the order stated', () => {
    expect(matchLabels({ 0: 'sci_tech', 1: 'World' }, ['World', 'Sci/Tech'])).toEqual({ order: [1, 0], assumed: false });
    const unnamed = { 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2', 3: 'LABEL_3' };
    expect(() => matchLabels(unnamed, AG)).toThrow(/carry no names \(LABEL_0, LABEL_1, LABEL_2, LABEL_3\).*--labels in-order/);
    expect(matchLabels(unnamed, AG, 'in-order')).toEqual({ order: [0, 1, 2, 3], assumed: true });
    expect(() => matchLabels({ 0: 'a', 1: 'b' }, AG)).toThrow(/predicts 2 labels and the dataset has 4 classes/);
    expect(() => matchLabels(undefined, AG)).toThrow(/no id2label/);
  });
});
