import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisyAgNewsFiles } from '../../../test/noisy-agnews';
import { COMMIT, startStandInHub, type StandInHub } from '../../../test/stand-in-hub';
import { evictionOrder } from '../storage/accounting';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';

let hub: StandInHub;
beforeAll(async () => {
  hub = await startStandInHub();
});
afterAll(() => hub.close());

const downloads = (file: string) => hub.requests.filter((r) => r.path.endsWith(`/resolve/${COMMIT}/${file}`)).length;

describe('cached base models', () => {
  it('are reported per base, evicted oldest first on request, and fetched again (same predictions) by a run that needs one', async () => {
    const store = memoryStore();
    const lab = createLab({ store, selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [], fetch: globalThis.fetch, hubUrl: hub.url });
    const meta = await lab.importDataset({ kind: 'agnews', files: noisyAgNewsFiles(200, { test: 40, seed: 3 }) });
    await lab.importModel({ from: 'hf:local/tiny-distilbert', datasetId: meta.id, runId: 'distil', maxValidation: 8 }, () => {});
    await lab.importModel({ from: 'hf:local/tiny-bert', datasetId: meta.id, runId: 'bert', maxValidation: 8 }, () => {});
    const texts = ['Stocks slide as oil climbs', 'Coach praises the striker after the match'];
    const before = await lab.predict('distil', texts);

    const report = await lab.storageReport();
    const bases = report.items.filter((i) => i.kind === 'base-model');
    expect(bases.map((b) => b.id).sort()).toEqual([`hf:local/tiny-bert@${COMMIT}`, `hf:local/tiny-distilbert@${COMMIT}`]);
    // Downloaded first, offered first.
    expect(evictionOrder(report.items).map((b) => b.id)).toEqual([`hf:local/tiny-distilbert@${COMMIT}`, `hf:local/tiny-bert@${COMMIT}`]);
    // The run holds its base by reference: its own files are small next to the base.
    expect(report.items.find((i) => i.kind === 'run' && i.id === 'distil')!.bytes).toBeLessThan(bases[0].bytes);

    const fetched = downloads('model.safetensors');
    const after = await lab.deleteStorageItem('base-model', `hf:local/tiny-distilbert@${COMMIT}`);
    expect(after.items.filter((i) => i.kind === 'base-model').map((b) => b.id)).toEqual([`hf:local/tiny-bert@${COMMIT}`]);
    expect(after.byKind['base-model']).toBe(report.byKind['base-model'] - bases.find((b) => b.id.includes('distil'))!.bytes);

    const again = await lab.predict('distil', texts);
    expect(downloads('model.safetensors')).toBe(fetched + 1);
    expect(again).toEqual(before);
    expect((await lab.storageReport()).items.filter((i) => i.kind === 'base-model')).toHaveLength(2);
  });

  it('asks nothing of a store that cannot persist, and refuses an unknown item', async () => {
    const lab = createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
    expect(await lab.requestPersist()).toBeUndefined();
    await expect(lab.deleteStorageItem('run', 'nope')).rejects.toThrow(/No run nope to delete/);
    await expect(lab.deleteStorageItem('other', 'budget')).rejects.toThrow(/No other "budget"/);
  });
});
