import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { fromBytes, toBytes } from '../storage/port';
import { GuardError, NotFoundError } from '../util/errors';
import { importDataset } from './import';
import type { ImportedDataset } from './import';
import { deleteDataset, getDatasetMeta, listDatasets, loadTrainingData, readTestSplit, saveDataset, testAccessLog } from './repository';

const file = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

async function dataset(seed = 1, extra = ''): Promise<ImportedDataset> {
  let train = '';
  for (let k = 0; k < 30; k++) train += `"${(k % 3) + 1}","Title ${k}${extra}","Body ${k}"\n`;
  const test = '"1","T one","a"\n"2","T two","b"\n"3","T three","c"\n';
  return importDataset(
    { kind: 'agnews', files: [file('classes.txt', 'A\nB\nC\n'), file('train.csv', train), file('test.csv', test)], seed },
    { now: () => new Date(`2024-01-0${seed}T00:00:00Z`) },
  );
}

const access = { purpose: 'final evaluation', caller: 'test' };

describe('dataset repository', () => {
  it('round-trips a dataset in one commit', async () => {
    const store = memoryStore();
    let commits = 0;
    const commit = store.commit.bind(store);
    store.commit = async (w) => {
      commits++;
      return commit(w);
    };
    const d = await dataset();
    await saveDataset(store, d);
    expect(commits).toBe(1);
    const id = d.meta.id;
    expect(store.paths()).toEqual([`datasets/${id}/meta.json`, `datasets/${id}/test.jsonl`, `datasets/${id}/train.jsonl`, `datasets/${id}/validation.jsonl`]);
    expect(await getDatasetMeta(store, id)).toEqual(d.meta);
    const training = await loadTrainingData(store, id);
    expect(training).toEqual({ meta: d.meta, train: d.train, validation: d.validation });
    expect(Object.keys(training)).not.toContain('test');
    expect(await readTestSplit(store, id, access)).toEqual(d.test);
  });

  it('stores nothing when the commit fails', async () => {
    const store = memoryStore({ failCommit: () => true });
    await expect(saveDataset(store, await dataset())).rejects.toThrow();
    expect(store.paths()).toEqual([]);
  });

  it('lists newest first and deletes', async () => {
    const store = memoryStore();
    const a = await dataset(1);
    const b = await dataset(2, ' b');
    await saveDataset(store, a);
    await saveDataset(store, b);
    expect((await listDatasets(store)).map((m) => m.id)).toEqual([b.meta.id, a.meta.id]);
    await deleteDataset(store, a.meta.id);
    expect((await listDatasets(store)).map((m) => m.id)).toEqual([b.meta.id]);
    expect(await getDatasetMeta(store, a.meta.id)).toBeUndefined();
    await expect(loadTrainingData(store, a.meta.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses ids that could leave the datasets folder', async () => {
    await expect(getDatasetMeta(memoryStore(), '../runs')).rejects.toThrow(/not a dataset id/);
  });

  describe('readTestSplit', () => {
    async function stored() {
      const store = memoryStore();
      const d = await dataset();
      await saveDataset(store, d);
      return { store, id: d.meta.id, d };
    }

    it('refuses an empty purpose or caller', async () => {
      const { store, id } = await stored();
      await expect(readTestSplit(store, id, { purpose: '  ', caller: 'x' })).rejects.toThrow(GuardError);
      await expect(readTestSplit(store, id, { purpose: '', caller: 'x' })).rejects.toThrow(/state a purpose/);
      await expect(readTestSplit(store, id, { purpose: 'eval', caller: '' })).rejects.toThrow(/name the caller/);
    });

    it('refuses tampered content, naming the fingerprint check', async () => {
      const { store, id } = await stored();
      const path = `datasets/${id}/test.jsonl`;
      const text = fromBytes((await store.read(path))!);
      store.poke(path, toBytes(text.replace('"label":0', '"label":1')));
      const err = await readTestSplit(store, id, access).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GuardError);
      expect((err as GuardError).message).toMatch(/content changed since import \(fingerprint sha256:[0-9a-f]+ != sealed sha256:/);
      expect((err as GuardError).details).toMatchObject({ check: 'fingerprint' });
    });

    it('refuses a removed row (size check) and a missing file', async () => {
      const { store, id } = await stored();
      const path = `datasets/${id}/test.jsonl`;
      const lines = fromBytes((await store.read(path))!).split('\n');
      store.poke(path, toBytes(lines.slice(1).join('\n')));
      await expect(readTestSplit(store, id, access)).rejects.toThrow(/2 examples stored, 3 sealed at import/);
      await store.remove(path);
      await expect(readTestSplit(store, id, access)).rejects.toThrow(/test\.jsonl is missing/);
    });

    it('refuses a test split re-sealed in meta without matching content', async () => {
      const { store, id, d } = await stored();
      await store.commit([{ path: `datasets/${id}/meta.json`, bytes: toBytes(JSON.stringify({ ...d.meta, testFingerprint: 'sha256:00' })) }]);
      await expect(readTestSplit(store, id, access)).rejects.toThrow(/fingerprint/);
    });

    it('logs every granted access', async () => {
      const { store, id } = await stored();
      await readTestSplit(store, id, access);
      await readTestSplit(store, id, { purpose: 'report', caller: 'cli' });
      const log = await testAccessLog(store, id);
      expect(log.map((e) => [e.purpose, e.caller, e.examples])).toEqual([
        ['final evaluation', 'test', 3],
        ['report', 'cli', 3],
      ]);
    });
  });
});

describe('saveDataset', () => {
  it('refuses a test split that does not match its sealed fingerprint', async () => {
    const store = memoryStore();
    const d = await dataset();
    const bad = { ...d, test: d.test.map((e, k) => (k === 0 ? { ...e, text: 'changed' } : e)) };
    await expect(saveDataset(store, bad)).rejects.toThrow(/does not match meta.testFingerprint/);
    expect(store.paths()).toEqual([]);
  });
});
