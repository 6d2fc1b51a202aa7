import { describe, expect, it } from 'vitest';
import { noisyAgNewsFiles } from '../../../test/noisy-agnews';
import { createLab } from '../lab/lab';
import { RunFolder } from '../runs/run-folder';
import { StorageError, toErrorData } from '../util/errors';
import { memoryStore } from './memory';
import { LARGE_WRITE_BYTES, quotaGuarded, QuotaError } from './quota-guard';

const TOY = { override: { reason: 'unit test on a toy dataset' } };
/** Checkpoints of about 3.8 MB (20,000 x 16 weights with Adam's two moments): each a large write. */
const CONFIG = {
  name: 'big',
  seed: 4,
  model: { type: 'fasttext', dim: 16, buckets: 20000, train: { epochs: 2, batchSize: 16, logEvery: 1, checkpointEvery: 5 } },
  guard: TOY,
};

describe('writes over the quota', () => {
  it('a checkpoint that would not fit is refused before it starts, naming the largest deletable items; the previous checkpoint stays and the run resumes to the same weights', async () => {
    const limit = { quota: Number.MAX_SAFE_INTEGER };
    const store = memoryStore({
      get quota() {
        return limit.quota;
      },
    });
    const lab = createLab({ store, selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
    const meta = await lab.importDataset({ kind: 'agnews', files: noisyAgNewsFiles(400, { test: 40, seed: 9 }) });
    await lab.train({ datasetId: meta.id, runId: 'whole', config: CONFIG }, () => {});
    await lab.train({ datasetId: meta.id, runId: 'nb', config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});

    // After the first checkpoint (step 5) the quota shrinks to what is stored plus 100 kB.
    const full = lab.train({ datasetId: meta.id, runId: 'cut', config: CONFIG }, (e) => {
      if (e.type === 'step' && e.step === 7) void store.estimate().then((u) => (limit.quota = u.usage + 100_000));
    });
    const refusal = await full.catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(QuotaError);
    const message = (refusal as Error).message;
    expect(message).toMatch(
      /^Not enough storage: this write needs 3\.\d+ MB and .* in use, so nothing was written \(the previous checkpoint is intact\)\. Free space by deleting the largest items: /,
    );
    // The run being written is not offered; the finished one and the dataset are, biggest first.
    expect(message).toMatch(/run whole \(big, done\) \(.*\), .*run nb \(nb, done\)/);
    expect(message).not.toMatch(/run cut/);
    expect(toErrorData(refusal).details).toMatchObject({ quota: true, candidates: expect.arrayContaining([expect.objectContaining({ kind: 'run', id: 'whole' })]) });

    const cut = RunFolder.inStore(store, 'cut');
    expect((await cut.meta())?.status).toBe('failed');
    expect((await cut.loadCheckpoint('latest')).pointer.step).toBe(5);
    expect((await lab.listRuns()).find((r) => r.runId === 'cut')).toMatchObject({ resumable: true });

    limit.quota = Number.MAX_SAFE_INTEGER;
    await lab.resume('cut', () => {});
    const a = (await RunFolder.inStore(store, 'whole').loadModel()).tensors;
    const b = (await cut.loadModel()).tensors;
    for (const k of Object.keys(a)) expect(Array.from(b[k].data), k).toEqual(Array.from(a[k].data));
  });

  it("turns the platform's own refusal of a small write (a full disk, IndexedDB's quota) into the same advice", async () => {
    const inner = memoryStore();
    await inner.commit([{ path: 'datasets/d/train.jsonl', bytes: new Uint8Array(5000) }]);
    const full = { ...inner, commit: async () => Promise.reject(new StorageError('Disk full: ENOSPC', true)) };
    const store = quotaGuarded(full, { items: async () => [{ kind: 'dataset', id: 'd', label: 'd', bytes: 5000, deletable: true }] });
    await expect(store.commit([{ path: 'budget/usage.json', bytes: new Uint8Array(10) }])).rejects.toThrow(
      /^Not enough storage: this write needs 10 B and 5\.00 kB of .* are in use, so nothing was written \(the previous checkpoint is intact\)\. Free space by deleting the largest items: dataset d \(5\.00 kB\)/,
    );
    // Other failures pass through as they were.
    const broken = quotaGuarded({ ...inner, commit: async () => Promise.reject(new StorageError('Cannot write: EACCES')) }, { items: async () => [] });
    await expect(broken.commit([{ path: 'x', bytes: new Uint8Array(1) }])).rejects.toThrow(/^Cannot write: EACCES$/);
  });

  it('asks the store to persist once, before the first large write; small writes pass without a check', async () => {
    const answers: (boolean | undefined)[] = [];
    const inner = memoryStore({ quota: 10 });
    let asked = 0;
    const store = quotaGuarded(
      Object.assign(inner, {
        persist: async () => {
          asked++;
          return true;
        },
      }),
      { items: async () => [], onPersist: (p) => answers.push(p) },
    );
    await store.commit([{ path: 'small.json', bytes: new Uint8Array(100) }]);
    expect(asked).toBe(0);
    const big = new Uint8Array(LARGE_WRITE_BYTES);
    await expect(store.commit([{ path: 'big.bin', bytes: big }])).rejects.toThrow(StorageError);
    await expect(store.commit([{ path: 'big.bin', bytes: big }])).rejects.toThrow(/Nothing stored here can be deleted/);
    expect(asked).toBe(1);
    expect(answers).toEqual([true]);
    expect(await store.list('')).toEqual(['small.json']);
  });
});
