/**
 * Storage accounting checked against a store's real contents, for every BlobStore adapter (the
 * memory store here, the node file store and IndexedDB in their own tests): a lab on the store
 * imports a dataset, finishes one run and leaves another interrupted with a checkpoint, a base
 * model is cached through the asset store; every byte the store holds is then counted exactly
 * once, under the item it belongs to, and deleting an item removes exactly its bytes.
 */
import { describe, expect, it } from 'vitest';
import { noisyAgNewsFiles } from '../../../test/noisy-agnews';
import { createLab } from '../lab/lab';
import type { StorageItem } from '../lab/quota-api';
import { createAssetStore } from './asset-store';
import type { BlobStore } from './port';

const TOY = { override: { reason: 'unit test on a toy dataset' } };
const COMMIT = 'c0ffee0000000000000000000000000000000000';

/** Sizes as the store gives them back on read: the reference the accounting must agree with. */
async function readSizes(store: BlobStore, prefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const p of await store.list(prefix)) out.set(p, (await store.read(p))!.length);
  return out;
}

const sum = (m: Map<string, number>, test: (p: string) => boolean) => [...m].filter(([p]) => test(p)).reduce((n, [, b]) => n + b, 0);

export function describeAccounting(name: string, make: () => Promise<BlobStore> | BlobStore): void {
  describe(`storage accounting: ${name}`, () => {
    it('counts every byte of datasets, runs, checkpoints and cached base models once, and deletes exactly what it counted', async () => {
      const store = await make();
      const lab = createLab({ store, selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
      const meta = await lab.importDataset({ kind: 'agnews', files: noisyAgNewsFiles(300, { test: 40, seed: 2 }) });
      await lab.train({ datasetId: meta.id, runId: 'nb', config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
      const cancel = { name: 'ft', seed: 1, model: { type: 'fasttext', dim: 8, buckets: 256, train: { epochs: 2, batchSize: 16, logEvery: 1, checkpointEvery: 3 } }, guard: TOY };
      await expect(lab.train({ datasetId: meta.id, runId: 'ft', config: cancel }, (e) => void (e.type === 'step' && e.step === 5 && lab.cancel()))).rejects.toThrow(/Cancelled/);
      const weights = new Uint8Array(3000).fill(7);
      const files: Record<string, Uint8Array> = { 'config.json': new TextEncoder().encode('{"model_type":"bert"}'), 'model.safetensors': weights };
      const assets = createAssetStore({ store, hubUrl: 'http://hub.test', fetch: async (url) => new Response(files[String(url).split('/').pop()!] as BodyInit) });
      for (const f of Object.keys(files)) await assets.resolve(`hf:acme/tiny@${COMMIT}/${f}`);

      const sizes = await readSizes(store, '');
      const report = await lab.storageReport();
      const item = (kind: StorageItem['kind'], id: string) => report.items.find((i) => i.kind === kind && i.id === id);
      expect(report.items.reduce((n, i) => n + i.bytes, 0)).toBe(sum(sizes, () => true));
      expect(Object.values(report.byKind).reduce((a, b) => a + b, 0)).toBe(sum(sizes, () => true));
      expect(item('dataset', meta.id)).toMatchObject({ bytes: sum(sizes, (p) => p.startsWith(`datasets/${meta.id}/`)), deletable: true });
      expect(item('run', 'nb')!.bytes).toBe(sum(sizes, (p) => p.startsWith('runs/nb/') && !p.startsWith('runs/nb/checkpoints/')));
      expect(item('checkpoint', 'nb#model')).toMatchObject({ bytes: sum(sizes, (p) => p.startsWith('runs/nb/checkpoints/model')), deletable: false });
      expect(item('checkpoint', 'ft#latest')).toMatchObject({ bytes: sum(sizes, (p) => p.startsWith('runs/ft/checkpoints/latest')), deletable: true });
      const base = item('base-model', `hf:acme/tiny@${COMMIT}`)!;
      expect(base.bytes).toBe(sum(sizes, (p) => p.startsWith('cache/assets/')));
      expect(base.bytes).toBeGreaterThan(weights.length);
      expect(base).toMatchObject({ deletable: true, lastUsed: expect.any(String) });
      expect(report.byKind['base-model']).toBe(base.bytes);
      expect(report.byKind.checkpoint).toBe(sum(sizes, (p) => /^runs\/[^/]+\/checkpoints\//.test(p)));

      await expect(lab.deleteStorageItem('checkpoint', 'nb#model')).rejects.toThrow(/finished model: delete the run to free it/);
      const after = await lab.deleteStorageItem('base-model', base.id);
      expect(after.items.find((i) => i.kind === 'base-model')).toBeUndefined();
      expect(await store.list('cache/assets/')).toEqual([]);
      expect(sum(await readSizes(store, ''), () => true)).toBe(sum(sizes, () => true) - base.bytes);
      await lab.deleteStorageItem('checkpoint', 'ft#latest');
      expect((await lab.listRuns()).find((r) => r.runId === 'ft')?.resumable).toBe(false);
      await lab.deleteStorageItem('run', 'nb');
      expect((await lab.listRuns()).map((r) => r.runId)).toEqual(['ft']);
      await expect(lab.deleteStorageItem('base-model', 'hf:acme/none@x')).rejects.toThrow(/No base-model "hf:acme\/none@x" in storage/);
    });
  });
}
