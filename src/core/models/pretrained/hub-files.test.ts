/* eslint-disable no-restricted-imports -- the test serves ../shared/models from a stand-in Hub and writes repositories of its own */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMIT, SHARED_MODELS, startStandInHub, type StandInHub } from '../../../../test/stand-in-hub';
import { createAssetStore } from '../../storage/asset-store';
import { memoryStore } from '../../storage/memory';
import { readCheckpoint } from './checkpoint';
import { downloadHubCheckpoint, hubBaseSource, resolveHubCheckpoint, resumableFetch, type CheckpointProgress } from './hub-files';

const TINY = join(SHARED_MODELS, 'tiny-bert');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const file = (name: string) => new Uint8Array(readFileSync(join(TINY, name)));

/** A repository folder holding copies of tiny-bert's files under the given names. */
function repoDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-repo-'));
  for (const [to, from] of Object.entries(files)) copyFileSync(join(TINY, from), join(dir, to));
  return dir;
}

let hub: StandInHub;
const bare = repoDir({ 'config.json': 'config.json', 'tokenizer.json': 'tokenizer.json', 'pytorch_model.bin': 'model.safetensors' });
const mutable = repoDir({ 'config.json': 'config.json', 'tokenizer.json': 'tokenizer.json', 'model.safetensors': 'model.safetensors' });
const moving = repoDir({ 'model.safetensors': 'model.safetensors' });

beforeAll(async () => {
  hub = await startStandInHub({ repos: { 'local/tiny-bert': TINY, 'local/bin-only': bare, 'local/changed': mutable, 'local/moving': moving } });
});
afterAll(() => hub.close());

/** A fresh lab cache: the BlobStore, the asset store over a resumable fetch, and the Hub deps. */
function lab() {
  const store = memoryStore();
  const get = resumableFetch(fetch, store);
  return { store, deps: { store, fetch: get, hubUrl: hub.url }, assets: createAssetStore({ store, fetch: get, hubUrl: hub.url }) };
}

describe('Hub checkpoints as files', () => {
  it('resolves a revision to its commit and the checkpoint files pinned to it, with sizes and LFS sha256', async () => {
    const { deps, assets } = lab();
    const ckpt = await resolveHubCheckpoint('hf:local/tiny-bert', deps, assets);
    expect(ckpt).toMatchObject({ id: 'local/tiny-bert', revision: 'main', commit: COMMIT });
    expect([...ckpt.files.keys()]).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors']);
    for (const [name, ref] of ckpt.files) {
      expect(ref.uri).toBe(`hf:local/tiny-bert@${COMMIT}/${name}`);
      expect(ref.bytes).toBe(file(name).length);
    }
    // The Hub lists sha256 for LFS files only.
    expect(ckpt.files.get('model.safetensors')!.sha256).toBe(sha(file('model.safetensors')));
    expect(ckpt.files.get('config.json')!.sha256).toBeUndefined();
    expect(ckpt.totalBytes).toBe(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors'].reduce((n, f) => n + file(f).length, 0));
    expect(hub.requests.at(-1)!.path).toBe('/api/models/local/tiny-bert/revision/main');
  });

  it('downloads every file with progress over all of them, and a second resolution of the commit asks nothing', async () => {
    const { deps, assets } = lab();
    const ckpt = await resolveHubCheckpoint('hf:local/tiny-bert', deps, assets);
    const seen: CheckpointProgress[] = [];
    const read = await downloadHubCheckpoint(assets, ckpt, (p) => seen.push(p));
    expect(seen.every((p) => p.total === ckpt.totalBytes)).toBe(true);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)!.done).toBe(ckpt.totalBytes);
    expect(sha((await read('model.safetensors'))!)).toBe(sha(file('model.safetensors')));
    const loaded = await readCheckpoint(read);
    expect(loaded.config.model_type).toBe('bert');

    const before = hub.requests.length;
    const again = await resolveHubCheckpoint(`hf:local/tiny-bert@${COMMIT}`, deps, assets);
    expect([...again.files.values()]).toEqual([...ckpt.files.values()]);
    await downloadHubCheckpoint(assets, again);
    expect(hub.requests.length).toBe(before);
  });

  it('opens a Hub base for the estimator (FitContext.openBase): files read at the commit, each referenced with its sha256', async () => {
    const { deps, assets } = lab();
    const seen: CheckpointProgress[] = [];
    const source = await hubBaseSource(assets, deps, 'hf:local/tiny-bert', (p) => seen.push(p));
    expect(source.describe).toEqual({ id: 'local/tiny-bert', revision: COMMIT });
    expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total);
    expect((await readCheckpoint(source.read)).config.model_type).toBe('bert');
    expect(await source.read('model.safetensors.index.json')).toBeUndefined();
    expect(source.ref('config.json')).toEqual({ uri: `hf:local/tiny-bert@${COMMIT}/config.json`, sha256: sha(file('config.json')), bytes: file('config.json').length });
    expect(() => source.ref('vocab.txt')).toThrow(/not one of the checkpoint's files/);
  });

  it('resolves a branch from the kept listing when the Hub cannot be reached', async () => {
    const { store, deps, assets } = lab();
    const online = await resolveHubCheckpoint('hf:local/tiny-bert', deps, assets);
    const offline = await resolveHubCheckpoint('hf:local/tiny-bert', { store, fetch: () => Promise.reject(new Error('offline')), hubUrl: hub.url }, assets);
    expect(offline.files).toEqual(online.files);
    await expect(resolveHubCheckpoint('hf:local/tiny-bert', { store: memoryStore(), fetch: () => Promise.reject(new Error('offline')), hubUrl: hub.url }, assets)).rejects.toThrow(
      /cannot reach the Hub.*offline/,
    );
  });

  it('resumes a download that broke off with a Range request, and joins the bytes exactly', async () => {
    const { store, deps, assets } = lab();
    const ckpt = await resolveHubCheckpoint('hf:local/tiny-bert', deps, assets);
    const weights = ckpt.files.get('model.safetensors')!;
    const cut = 20_000;
    hub.cutNext('local/tiny-bert', 'model.safetensors', cut);
    await expect(assets.resolve(weights)).rejects.toThrow(/download failed|terminated|other side closed|socket/i);
    const kept = await store.list('cache/partial/');
    expect(kept).toHaveLength(2);
    expect((await store.read(kept.find((p) => !p.endsWith('.validator'))!))!.length).toBe(cut);

    const before = hub.requests.length;
    const bytes = await assets.resolve(weights);
    const resumed = hub.requests.slice(before).filter((r) => r.path.endsWith('/model.safetensors'));
    expect(resumed).toEqual([
      { method: 'GET', path: `/local/tiny-bert/resolve/${COMMIT}/model.safetensors`, range: `bytes=${cut}-`, ifRange: `"${sha(file('model.safetensors'))}"` },
    ]);
    expect(Buffer.from(bytes).equals(Buffer.from(file('model.safetensors')))).toBe(true);
    expect(await store.list('cache/partial/')).toEqual([]);
  });

  it('downloads a file whole when it changed since the download broke off (If-Range)', async () => {
    const { store, assets } = lab();
    hub.cutNext('local/moving', 'model.safetensors', 5_000);
    await expect(assets.resolve('hf:local/moving/model.safetensors')).rejects.toThrow();
    const changed = Buffer.from(readFileSync(join(moving, 'model.safetensors')));
    changed[0] ^= 0xff;
    writeFileSync(join(moving, 'model.safetensors'), changed);
    const before = hub.requests.length;
    const bytes = await assets.resolve('hf:local/moving/model.safetensors');
    expect(hub.requests.slice(before)).toMatchObject([{ range: 'bytes=5000-', ifRange: expect.any(String) }]);
    expect(Buffer.from(bytes).equals(changed)).toBe(true);
    expect(await store.list('cache/partial/')).toEqual([]);
  });

  it('refuses a file whose bytes do not match the sha256 the Hub listed', async () => {
    const { deps, assets } = lab();
    const ckpt = await resolveHubCheckpoint('hf:local/changed', deps, assets);
    // Same size, other bytes: what a corrupted transfer or a swapped file delivers.
    const original = readFileSync(join(mutable, 'model.safetensors'));
    const swapped = Buffer.from(original);
    swapped[swapped.length - 1] ^= 0xff;
    writeFileSync(join(mutable, 'model.safetensors'), swapped);
    await expect(downloadHubCheckpoint(assets, ckpt)).rejects.toThrow(/model\.safetensors: sha256 mismatch/);
  });

  it('refuses a repository with only pytorch_model.bin, naming the missing safetensors', async () => {
    const { deps, assets } = lab();
    await expect(resolveHubCheckpoint('hf:local/bin-only', deps, assets)).rejects.toThrow(/no model\.safetensors.*only pytorch_model\.bin/);
    await expect(resolveHubCheckpoint('hf:local/absent', deps, assets)).rejects.toThrow(/no such model or revision/);
    await expect(resolveHubCheckpoint('hf:local/tiny-bert@v9', deps, assets)).rejects.toThrow(/no such model or revision/);
  });
});
