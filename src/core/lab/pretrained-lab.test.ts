/**
 * The page's pretrained catalog through the lab: estimates for this backend (a real calibration
 * on the CPU backend), the guard's refusals, a Hub id outside the catalog, bad input refused; and
 * the Hub URL setting, which the next download reads (the stand-in Hub serves ../shared/models).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandInHub, type StandInHub } from '../../../test/stand-in-hub';
import { PRETRAINED_CATALOG, catalogConfig, encoderParameters, estimateFineTuning } from '../models/pretrained/catalog';
import { KNOWN_SHAPES } from '../models/pretrained/known-shapes';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';

const lab = (extra: { fetch?: typeof fetch; hubUrl?: string } = {}) =>
  createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [], ...extra });

let hub: StandInHub;
beforeAll(async () => {
  hub = await startStandInHub();
});
afterAll(async () => hub?.close());

describe('pretrainedCatalog', () => {
  it('estimates every curated encoder for the default config on this backend, and leaves no tensor behind', async () => {
    const l = lab();
    const before = tf.memory().numTensors;
    const c = await l.pretrainedCatalog();
    expect(tf.memory().numTensors).toBe(before);
    expect(c.backend).toBe('cpu');
    expect(c.speed?.flopsPerSecond).toBeGreaterThan(0);
    expect(c.data).toEqual({ train: 108_000, validation: 12_000, classes: 4 });
    expect(c.settings).toEqual({ method: 'full', batchSize: 32, maxLength: 128 });
    expect(c.rows.map((r) => r.name)).toEqual(PRETRAINED_CATALOG.map((e) => e.name));
    for (const [i, r] of c.rows.entries()) {
      const e = PRETRAINED_CATALOG[i];
      const input = { method: 'full' as const, batchSize: 32, maxLength: 128, classes: 4, trainExamples: 108_000 };
      expect(r.estimate).toEqual(estimateFineTuning(e.shape, catalogConfig(e, input), input, c.speed));
      expect(r).toMatchObject({ curated: true, exactShape: true, parameters: e.parameters, licence: e.licence });
    }
    const byName = new Map(c.rows.map((r) => [r.name, r]));
    expect(byName.get('bert-base-uncased')!.estimate.secondsPerEpoch!).toBeGreaterThan(byName.get('all-MiniLM-L6-v2')!.estimate.secondsPerEpoch!);
    // The CPU backend binds no storage buffer: no device-memory refusal even for DeBERTa's 393 MB embedding table.
    expect(byName.get('deberta-v3-base')!.refusals.filter((f) => f.rule === 'device-memory')).toEqual([]);
    // The second call reuses the calibration of this backend.
    expect((await l.pretrainedCatalog()).speed).toEqual(c.speed);
  }, 60_000);

  it("holds the rows to the WASM heap training is held to: the default batch does not fit, the presets' small batches do", async () => {
    // The backend named wasm (the catalog's limits follow the name; the arithmetic runs on CPU here).
    const l = createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'wasm', skipped: [] }), presets: [] });
    const big = await l.pretrainedCatalog();
    const distil = big.rows.find((r) => r.name === 'distilbert-base-uncased')!;
    expect(distil.estimate.peakBytes).toBeGreaterThan(4 * 1024 ** 3);
    expect(distil.refusals.map((r) => r.message).join(' ')).toMatch(/memory budget/);
    const small = await l.pretrainedCatalog(undefined, {
      name: 'p',
      model: { type: 'pretrained', base: 'hf:distilbert/distilbert-base-uncased', method: 'lora', train: { batchSize: 2, accumulate: 16 } },
    });
    expect(small.rows.find((r) => r.name === 'distilbert-base-uncased')!.refusals.filter((r) => r.rule === 'device-memory')).toEqual([]);
  });

  it("applies the config's method, batch and length, adds a Hub id outside the catalog, and reports the guard's refusals", async () => {
    const l = lab();
    const config = { name: 'p', model: { type: 'pretrained', base: 'hf:local/tiny-bert', method: 'lora', maxLength: 64, train: { batchSize: 8, lr: 0.5 } } };
    const c = await l.pretrainedCatalog(undefined, config);
    expect(c.settings).toEqual({ method: 'lora', batchSize: 8, maxLength: 64 });
    const custom = c.rows.at(-1)!;
    expect(custom).toMatchObject({ id: 'local/tiny-bert', curated: false, exactShape: true, parameters: encoderParameters(KNOWN_SHAPES['tiny-bert']), architecture: 'BERT' });
    expect(custom.downloadBytes).toBeUndefined();
    // lr 0.5 is far outside LoRA's range: every row carries the guard's learning-rate refusal.
    for (const r of c.rows) expect(r.refusals.map((f) => f.rule)).toContain('learning-rate');
    const unknown = await l.pretrainedCatalog(undefined, { name: 'p', model: { type: 'pretrained', base: 'hf:someone/unheard-of' } });
    expect(unknown.rows.at(-1)).toMatchObject({ id: 'someone/unheard-of', exactShape: false, parameters: undefined });
  }, 60_000);

  it('refuses a config of another model type and a dataset it does not hold', async () => {
    const l = lab();
    await expect(l.pretrainedCatalog(undefined, { name: 'nb', model: { type: 'tfidf-nb' } })).rejects.toThrow(/estimates pretrained configs, not model.type "tfidf-nb"/);
    await expect(l.pretrainedCatalog('nope')).rejects.toThrow(/No dataset nope/);
  });
});

describe('setHubUrl', () => {
  it('points the next download at the new Hub, and refuses a malformed address without changing it', async () => {
    const l = lab({ fetch: globalThis.fetch.bind(globalThis), hubUrl: 'http://127.0.0.1:9' });
    const config = { name: 'wp', model: { type: 'textcnn', tokenizer: 'wordpiece', vocabFile: 'hf:local/bert-base-uncased/vocab.txt' } };
    await expect(l.withAssets(config)).rejects.toThrow(/download failed/);
    await expect(l.setHubUrl('ftp://example.org')).rejects.toThrow(/only http: and https:/);
    await expect(l.setHubUrl('not a url')).rejects.toThrow(/is not an address/);
    expect(await l.setHubUrl(`${hub.url}/`)).toBe(hub.url);
    const withVocab = await l.withAssets(config);
    expect(JSON.stringify(withVocab.model)).toContain('[CLS]');
    expect(hub.requests.map((r) => r.path)).toContain('/local/bert-base-uncased/resolve/main/vocab.txt');
  });
});
