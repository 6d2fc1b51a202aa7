/* eslint-disable no-restricted-imports -- a stand-in Hub on 127.0.0.1 serves the shared model folders */
/**
 * Bases by Hub id through the real download code: a local HTTP server serves ../shared/models
 * as `/local/<name>/resolve/<rev>/<file>`, as the Hub lays files out. A run trained from
 * `hf:local/tiny-bert` reloads from an empty cache by downloading its base again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgNewsCsv } from '../../text/agnews-csv';
import { parseExperimentConfig } from '../../experiment/config';
import { createAssetStore } from '../../storage/asset-store';
import { memoryStore } from '../../storage/memory';
import { createEstimator, loadEstimator } from '../registry';
import { baseSourceFromAssets, parseBase } from './base-source';
import { pretrainedSchema } from './config';
import { readCheckpoint } from './checkpoint';

const ROOT = resolve(import.meta.dirname, '../../../..');
const MODELS = resolve(ROOT, '..', 'shared', 'models');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'train.csv');
const present = existsSync(`${MODELS}/tiny-bert/model.safetensors`) && existsSync(DATA);
const hits = new Map<string, number>();
let server: Server;
let hubUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const m = /^\/local\/([\w.-]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(req.url ?? ''));
    const file = m && resolve(MODELS, m[1], m[2]);
    if (!file || !file.startsWith(MODELS) || !existsSync(file)) return void res.writeHead(404).end('missing');
    hits.set(m[2], (hits.get(m[2]) ?? 0) + 1);
    res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('base addresses', () => {
  it('map Hub ids at a revision and folders to file URIs', () => {
    expect(parseBase('hf:acme/enc@v2').folder('config.json')).toBe('hf:acme/enc@v2/config.json');
    expect(parseBase('hf:acme/enc')).toMatchObject({ id: 'acme/enc', revision: undefined });
    expect(parseBase('file:/models/enc/').folder('tokenizer.json')).toBe('file:/models/enc/tokenizer.json');
    // A pretrain output in the lab's own store (the page's MLM action) is a base too.
    expect(parseBase('store:runs/news-mlm/').folder('config.json')).toBe('store:runs/news-mlm/config.json');
    expect(pretrainedSchema.parse({ type: 'pretrained', base: 'store:runs/news-mlm' }).base).toBe('store:runs/news-mlm');
    expect(() => pretrainedSchema.parse({ type: 'pretrained', base: 'store:runs/a b' })).toThrow(/store: folder/);
    expect(() => parseBase('hf:distilbert-base-uncased')).toThrow(/hf:OWNER\/NAME/);
  });
});

describe.skipIf(!present)('a base from the stand-in Hub', { timeout: 240_000 }, () => {
  it('reads the checkpoint, reports absent optional files as absent, and records sha256 and size', async () => {
    const source = baseSourceFromAssets(createAssetStore({ store: memoryStore(), fetch, hubUrl }), 'hf:local/tiny-bert');
    const ckpt = await readCheckpoint((n) => source.read(n));
    expect(ckpt.config.model_type).toBe('bert');
    expect(await source.read('model.safetensors.index.json')).toBeUndefined();
    const bytes = readFileSync(`${MODELS}/tiny-bert/model.safetensors`);
    expect(source.ref('model.safetensors')).toMatchObject({ uri: 'hf:local/tiny-bert/model.safetensors', bytes: bytes.length });
    expect(source.ref('model.safetensors').sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a trained run reloads from an empty cache by downloading its base again', async () => {
    const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
    const train = parseAgNewsCsv(readFileSync(DATA, 'utf8'), 32).map((r, i) => ({ id: `train:${i}`, ...r }));
    const est = createEstimator(
      parseExperimentConfig({ model: { type: 'pretrained', base: 'hf:local/tiny-bert', method: 'bitfit', maxLength: 32, train: { epochs: 1, lr: 1e-3 } } }).model,
    );
    // The caller opens the base itself (FitContext.openBase), as the lab does for pinned Hub commits.
    const opened: string[] = [];
    const openBase = async (base: string) => (opened.push(base), baseSourceFromAssets(createAssetStore({ store: memoryStore(), fetch, hubUrl }), base));
    await est.fit(train, { classes, seed: 3, openBase });
    expect(opened).toEqual(['hf:local/tiny-bert']);
    const artifact = await est.save();
    expect(artifact.refs!.every((r) => r.uri.startsWith('hf:local/tiny-bert/') && /^[0-9a-f]{64}$/.test(r.sha256!))).toBe(true);
    const before = hits.get('model.safetensors') ?? 0;
    const loaded = loadEstimator(artifact, { assets: createAssetStore({ store: memoryStore(), fetch, hubUrl }) });
    const texts = ['Oil prices climb again'];
    expect(Array.from((await loaded.predictProba(texts))[0])).toEqual(Array.from((await est.predictProba(texts))[0]));
    expect(hits.get('model.safetensors')).toBe(before + 1);
    est.dispose();
    loaded.dispose();
  });
});
