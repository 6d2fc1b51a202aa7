/* eslint-disable no-restricted-imports */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { HubError } from './errors';
import { loadHubDataset } from './hub';
import { importDataset } from './import';
import { writeParquetFixture } from './parquet-fixture';

const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix} story number ${k}`);
const TRAIN = writeParquetFixture([
  { name: 'text', type: 'string', values: texts('train', 40) },
  { name: 'label', type: 'int64', values: texts('train', 40).map((_, k) => k % 4) },
]);
const TEST = writeParquetFixture([
  { name: 'text', type: 'string', values: texts('test', 8) },
  { name: 'label', type: 'int64', values: texts('test', 8).map((_, k) => k % 4) },
]);
const PLAIN_TRAIN = writeParquetFixture([
  { name: 'sentence', type: 'string', values: ['good', 'bad', 'great', 'awful'] },
  { name: 'sentiment', type: 'int64', values: [1, 0, 1, 0] },
]);

let server: Server;
let base = '';
const requests: string[] = [];

const routes: Record<string, () => { status: number; body: string | Uint8Array }> = {
  '/api/datasets/fancyzhx/ag_news/tree/main/data': () => ({
    status: 200,
    body: JSON.stringify([
      { type: 'file', path: 'data/test-00000-of-00001.parquet', size: TEST.length },
      { type: 'file', path: 'data/train-00000-of-00001.parquet', size: TRAIN.length },
      { type: 'file', path: 'data/README.md', size: 3 },
    ]),
  }),
  '/datasets/fancyzhx/ag_news/resolve/main/data/train-00000-of-00001.parquet': () => ({ status: 200, body: TRAIN }),
  '/datasets/fancyzhx/ag_news/resolve/main/data/test-00000-of-00001.parquet': () => ({ status: 200, body: TEST }),
  // A dataset without data/: found through the auto-converted Parquet listing and its card.
  '/api/datasets/someone/plain/parquet': () => ({ status: 200, body: JSON.stringify({ default: { train: [`${base}/files/plain-train.parquet`] } }) }),
  '/files/plain-train.parquet': () => ({ status: 200, body: PLAIN_TRAIN }),
  '/api/datasets/someone/plain': () => ({
    status: 200,
    body: JSON.stringify({
      cardData: {
        dataset_info: {
          features: [
            { name: 'sentence', dtype: 'string' },
            { name: 'sentiment', dtype: { class_label: {} }, class_label: { names: { '0': 'neg', '1': 'pos' } } },
          ],
        },
      },
    }),
  }),
  '/api/datasets/someone/broken/tree/main/data': () => ({ status: 500, body: 'oops' }),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    requests.push(path);
    const route = routes[path];
    const { status, body } = route ? route() : { status: 404, body: 'Not Found' };
    res.writeHead(status, { 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('loadHubDataset', () => {
  it('lists data/, downloads train and test, and knows AG News classes', async () => {
    requests.length = 0;
    const cache = memoryStore();
    const progress: number[] = [];
    const hub = await loadHubDataset('fancyzhx/ag_news', { fetch, cache, baseUrl: base, onProgress: (p) => progress.push(p.done) });
    expect(hub.classes).toEqual(['World', 'Sports', 'Business', 'Sci/Tech']);
    expect(hub.mapping).toEqual({ text: ['text'], label: 'label' });
    expect(hub.train.name).toBe('data/train-00000-of-00001.parquet');
    expect(Array.from(hub.train.bytes)).toEqual(Array.from(TRAIN));
    expect(Array.from(hub.test!.bytes)).toEqual(Array.from(TEST));
    expect(requests).toEqual([
      '/api/datasets/fancyzhx/ag_news/tree/main/data',
      '/datasets/fancyzhx/ag_news/resolve/main/data/train-00000-of-00001.parquet',
      '/datasets/fancyzhx/ag_news/resolve/main/data/test-00000-of-00001.parquet',
    ]);
    expect(cache.paths()).toEqual([
      'cache/hub/fancyzhx/ag_news/data/test-00000-of-00001.parquet',
      'cache/hub/fancyzhx/ag_news/data/train-00000-of-00001.parquet',
      'cache/hub/fancyzhx/ag_news/manifest.json',
    ]);
    expect(progress.length).toBeGreaterThan(0);

    // Second load: served from the cache, no HTTP request at all (fetch would throw).
    requests.length = 0;
    const offline = (() => Promise.reject(new Error('network down'))) as typeof fetch;
    const again = await loadHubDataset('fancyzhx/ag_news', { fetch: offline, cache, baseUrl: base });
    expect(requests).toEqual([]);
    expect(again).toEqual(hub);
  });

  it('imports a Hub dataset end to end as a table', async () => {
    const d = await importDataset({ kind: 'hub', dataset: 'fancyzhx/ag_news', validationFraction: 0.25, seed: 3 }, { hub: { fetch, baseUrl: base } });
    expect(d.meta.classes).toEqual(['World', 'Sports', 'Business', 'Sci/Tech']);
    expect(d.meta.sizes).toEqual({ train: 28, validation: 12, test: 8 });
    expect(d.meta.source).toBe('hub: fancyzhx/ag_news');
    expect(d.test[1]).toEqual({ id: 'test:2', text: 'test story number 1', label: 1 });
  });

  it('falls back to the Parquet listing and reads class names from the card', async () => {
    requests.length = 0;
    const hub = await loadHubDataset('someone/plain', { fetch, baseUrl: base });
    expect(requests.slice(0, 2)).toEqual(['/api/datasets/someone/plain/tree/main/data', '/api/datasets/someone/plain/parquet']);
    expect(hub.mapping).toEqual({ text: ['sentence'], label: 'sentiment' });
    expect(hub.classes).toEqual(['neg', 'pos']);
    expect(hub.test).toBeUndefined();
    const d = await importDataset({ kind: 'table', name: 'plain', train: hub.train, mapping: hub.mapping, classes: hub.classes, validationFraction: 0 });
    expect(d.train.map((e) => [e.text, d.meta.classes[e.label]])).toEqual([
      ['good', 'pos'],
      ['bad', 'neg'],
      ['great', 'pos'],
      ['awful', 'neg'],
    ]);
  });

  it('names the status and URL of a 404', async () => {
    const err = await loadHubDataset('nobody/missing', { fetch, baseUrl: base }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).message).toBe(`HTTP 404 Not Found for ${base}/api/datasets/nobody/missing/parquet (no such dataset or file?)`);
    expect((err as HubError).status).toBe(404);
  });

  it('names the status of a server error', async () => {
    await expect(loadHubDataset('someone/broken', { fetch, baseUrl: base })).rejects.toThrow(
      `HTTP 500 Internal Server Error for ${base}/api/datasets/someone/broken/tree/main/data`,
    );
  });

  it('says so when offline', async () => {
    const offline = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    await expect(loadHubDataset('fancyzhx/ag_news', { fetch: offline, baseUrl: base })).rejects.toThrow(
      /^Cannot reach the Hugging Face Hub at .*tree\/main\/data \(offline or blocked\?\): fetch failed$/,
    );
  });

  it('refuses names that are not owner/name', async () => {
    await expect(loadHubDataset('../etc', { fetch, baseUrl: base })).rejects.toThrow(/is not a Hub dataset name/);
  });

  it('needs hub access for hub imports', async () => {
    await expect(importDataset({ kind: 'hub', dataset: 'fancyzhx/ag_news' })).rejects.toThrow(/needs network access/);
  });
});
