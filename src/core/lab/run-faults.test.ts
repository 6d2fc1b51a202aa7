import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { acquireLock } from '../storage/lock';
import { jsonFile, readJson } from '../storage/port';
import { createLab } from './lab';

const enc = new TextEncoder();
const TOY = { override: { reason: 'unit test on a toy dataset' } };
const WORDS = [
  ['war', 'minister', 'election', 'troops'],
  ['match', 'goal', 'league', 'coach'],
  ['shares', 'market', 'profit', 'stocks'],
  ['software', 'chip', 'internet', 'computer'],
];
function files(n: number) {
  const rows = Array.from({ length: n }, (_, i) => `"${(i % 4) + 1}","${WORDS[i % 4][i % 3]} news ${i}","the ${WORDS[i % 4][(i + 1) % 4]} today ${i}"`);
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - 40).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - 40).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
  ];
}

async function setup() {
  const store = memoryStore();
  const lab = createLab({ store, selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
  const meta = await lab.importDataset({ kind: 'agnews', files: files(400) });
  const config = { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY };
  return { store, lab, datasetId: meta.id, config };
}

describe('runs under faults', () => {
  it('refuses to train into a run that exists unless asked to overwrite it', async () => {
    const { store, lab, datasetId, config } = await setup();
    const first = await lab.train({ datasetId, config, runId: 'r' }, () => {});
    await expect(lab.train({ datasetId, config: { ...config, seed: 2 }, runId: 'r' }, () => {})).rejects.toThrow(/r already holds a run \(nb, status "done"/);
    expect((await readJson<{ seed: number }>(store, 'runs/r/result.json'))?.seed).toBe(first.seed);
    const second = await lab.train({ datasetId, config: { ...config, seed: 2 }, runId: 'r', overwrite: true }, () => {});
    expect(second.seed).toBe(2);
    expect((await readJson<{ seed: number }>(store, 'runs/r/result.json'))?.seed).toBe(2);
  });

  it('refuses a second writer while a run holds its folder', async () => {
    const { store, lab, datasetId, config } = await setup();
    const held = await acquireLock(store, 'runs/busy/run', { wait: false, owner: 'the run runs/busy' });
    await expect(lab.train({ datasetId, config, runId: 'busy' }, () => {})).rejects.toThrow(/runs\/busy\/run is in use by the run runs\/busy/);
    await held.release();
    await lab.train({ datasetId, config, runId: 'busy' }, () => {});
  });

  it('resume finishes a run killed after its final model was saved', async () => {
    const { store, lab, datasetId, config } = await setup();
    const done = await lab.train({ datasetId, config, runId: 'k' }, () => {});
    // What a kill between the model's rename and run.json's left behind before finishing was one commit.
    const meta = await readJson<Record<string, unknown>>(store, 'runs/k/run.json');
    await store.commit([jsonFile('runs/k/run.json', { ...meta, status: 'running' })]);
    await store.remove('runs/k/result.json');
    expect((await lab.listRuns()).find((r) => r.runId === 'k')).toMatchObject({ status: 'interrupted', resumable: true });
    const finished = await lab.resume('k', () => {});
    expect(finished.validation.accuracy).toBe(done.validation.accuracy);
    expect((await lab.getRun('k')).status).toBe('done');
    await expect(lab.resume('k', () => {})).rejects.toThrow(/already finished/);
  });

  it('generated run ids never land on an existing run', async () => {
    const { lab, datasetId, config } = await setup();
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await lab.train({ datasetId, config }, () => {})).run);
    expect(ids.size).toBe(3);
  });
});
