import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withVocab } from '../../core/lab/vocab';
import { createAssetStore, locate, type AssetProgress } from '../../core/storage/asset-store';
import { memoryStore } from '../../core/storage/memory';
import { readLocalFile } from './assets';

/** A stand-in Hub on 127.0.0.1 serving files this test writes, counting requests per path. */
const files = new Map<string, Buffer>();
const hits = new Map<string, number>();
let server: Server;
let base = '';

beforeAll(async () => {
  files.set('/acme/tiny/resolve/v1/weights.bin', Buffer.alloc(200_000, 7));
  files.set('/acme/tiny/resolve/main/vocab.txt', Buffer.from('[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n##s\n'));
  files.set('/plain/data.txt', Buffer.from('hello assets'));
  server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '');
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = files.get(path);
    if (!body) return void res.writeHead(404).end('missing');
    res.writeHead(200, { 'content-length': body.length });
    // Two writes, so the download reports progress in steps.
    res.write(body.subarray(0, body.length >> 1));
    setTimeout(() => res.end(body.subarray(body.length >> 1)), 5);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('asset store', () => {
  it('maps hf: references to the Hub resolve URL at a revision, main by default', () => {
    expect(locate('hf:acme/tiny@v1/onnx/model.onnx', base)).toEqual({ kind: 'remote', url: `${base}/acme/tiny/resolve/v1/onnx/model.onnx` });
    expect(locate('hf:acme/tiny/vocab.txt')).toEqual({ kind: 'remote', url: 'https://huggingface.co/acme/tiny/resolve/main/vocab.txt' });
    expect(locate('file:///tmp/x.txt')).toEqual({ kind: 'file', path: '/tmp/x.txt' });
    expect(() => locate('ftp://x/y')).toThrow(/unknown scheme/);
    expect(() => locate('hf:acme')).toThrow(/hf:OWNER\/NAME\[@REV\]\/path/);
  });

  it('downloads hf: and https: files with progress, verifies size and sha256, and serves the cached copy afterwards', async () => {
    const store = memoryStore();
    const assets = createAssetStore({ store, fetch, hubUrl: base });
    const weights = files.get('/acme/tiny/resolve/v1/weights.bin')!;
    const seen: AssetProgress[] = [];
    const ref = { uri: 'hf:acme/tiny@v1/weights.bin', sha256: sha(weights), bytes: weights.length };
    const got = await assets.resolve(ref, (p) => seen.push(p));
    expect(Buffer.from(got).equals(weights)).toBe(true);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((p) => p.total === weights.length && p.uri === ref.uri)).toBe(true);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)!.done).toBe(weights.length);
    expect(await assets.resolve(ref)).toEqual(got);
    expect(hits.get('/acme/tiny/resolve/v1/weights.bin')).toBe(1);
    // The cache is the lab's store: a second asset store on it downloads nothing.
    await createAssetStore({ store, fetch: () => Promise.reject(new Error('offline')), hubUrl: base }).resolve(ref);
    expect(await createAssetStore({ store, fetch, hubUrl: base }).resolveText(`${base}/plain/data.txt`)).toBe('hello assets');
  });

  it('refuses a size or sha256 mismatch, caches nothing then, and names a missing file', async () => {
    const store = memoryStore();
    const assets = createAssetStore({ store, fetch, hubUrl: base });
    const uri = `${base}/plain/data.txt`;
    await expect(assets.resolve({ uri, bytes: 5 })).rejects.toThrow(`${uri}: size mismatch: expected 5 bytes, got 12`);
    await expect(assets.resolve({ uri, sha256: sha('something else') })).rejects.toThrow(
      new RegExp(`sha256 mismatch: expected ${sha('something else')}, got ${sha('hello assets')}`),
    );
    expect(await store.list('cache/')).toEqual([]);
    // A cached copy that no longer matches its reference is fetched again.
    await assets.resolve({ uri });
    const before = hits.get('/plain/data.txt')!;
    await expect(assets.resolve({ uri, bytes: 3 })).rejects.toThrow(/size mismatch/);
    expect(hits.get('/plain/data.txt')).toBe(before + 1);
    await expect(assets.resolve('hf:acme/tiny/nope.bin')).rejects.toThrow(/hf:acme\/tiny\/nope\.bin: download failed with HTTP 404/);
  });

  it('reads file: paths through the Node adapter and store: paths from the store, verified the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assets-'));
    writeFileSync(join(dir, 'a.txt'), 'local bytes');
    const store = memoryStore();
    await store.commit([{ path: 'models/x/config.json', bytes: new TextEncoder().encode('{}') }]);
    const assets = createAssetStore({ store, readFile: readLocalFile });
    expect(await assets.resolveText({ uri: `file:${join(dir, 'a.txt')}`, sha256: sha('local bytes') })).toBe('local bytes');
    expect(await assets.resolveText('store:models/x/config.json')).toBe('{}');
    await expect(assets.resolve({ uri: 'store:models/x/config.json', bytes: 9 })).rejects.toThrow(/size mismatch/);
    await expect(assets.resolve(`file:${join(dir, 'nope')}`)).rejects.toThrow(/nope: cannot read the file/);
    await expect(createAssetStore({ store }).resolve(`file:${join(dir, 'a.txt')}`)).rejects.toThrow(/cannot read local files/);
  });

  it('gives a WordPiece config its vocabulary from a local path or the Hub, and only for wordpiece', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vocab-'));
    const file = join(dir, 'vocab.txt');
    writeFileSync(file, '[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n##s\n');
    const assets = createAssetStore({ store: memoryStore(), fetch, hubUrl: base, readFile: readLocalFile });
    const tokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the', '##s'];
    expect(((await withVocab({ type: 'transformer', tokenizer: 'wordpiece', vocabFile: file }, assets)) as { vocab?: string[] }).vocab).toEqual(tokens);
    expect(((await withVocab({ tokenizer: 'wordpiece', vocabFile: 'hf:acme/tiny/vocab.txt' }, assets)) as { vocab?: string[] }).vocab).toEqual(tokens);
    const words = { type: 'transformer', tokenizer: 'words', vocabFile: file };
    expect(await withVocab(words, assets)).toBe(words);
    await expect(withVocab({ tokenizer: 'wordpiece', vocabFile: join(dir, 'nope') }, assets)).rejects.toThrow(/model\.vocabFile file:.*nope: cannot read the file/);
  });
});
