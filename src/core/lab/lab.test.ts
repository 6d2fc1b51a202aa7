import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import type { LabEvent } from './api';
import { createLab } from './lab';

const enc = new TextEncoder();
/** Toy datasets have tiny validation splits, which the pre-training checks refuse without a stated reason. */
const TOY = { override: { reason: 'unit test on a toy dataset' } };
const WORDS = [
  ['war', 'minister', 'election', 'troops'],
  ['match', 'goal', 'league', 'coach'],
  ['shares', 'market', 'profit', 'stocks'],
  ['software', 'chip', 'internet', 'computer'],
];
function agnewsFiles(n: number) {
  const rows = Array.from({ length: n }, (_, i) => {
    const k = i % 4;
    const w = WORDS[k];
    return `"${k + 1}","${w[i % 4]} ${w[(i + 1) % 4]} news ${i}","the ${w[(i + 2) % 4]} and ${w[(i + 3) % 4]} today ${i}"`;
  });
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - 40).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - 40).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
  ];
}

function lab() {
  const selected: string[] = [];
  const l = createLab({
    store: memoryStore(),
    selectBackend: async (choice) => {
      selected.push(choice);
      return { backend: 'cpu', skipped: [] };
    },
    presets: [],
  });
  return { l, selected };
}

describe('lab (in-process, CPU backend)', () => {
  it('refuses to train an ensemble or cascade config and points to the command that builds it', async () => {
    const { l } = lab();
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(200) });
    const config = { name: 'e', model: { type: 'ensemble', method: 'soft', members: ['a', 'b'] }, guard: TOY };
    await expect(l.train({ datasetId: meta.id, config }, () => {})).rejects.toThrow(/built from finished runs: use `agnews ensemble`/);
    expect(await l.listRuns()).toEqual([]);
  });

  it('imports, trains a classical and a neural preset, lists, predicts and deletes runs', async () => {
    const { l, selected } = lab();
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(400) });
    expect(meta.sizes).toEqual({ train: 324, validation: 36, test: 40 });
    expect(await l.listDatasets()).toHaveLength(1);

    const nb = await l.train({ datasetId: meta.id, config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
    expect(nb.validation.accuracy).toBe(1);
    expect(nb.data.fingerprint).toBe(meta.fingerprint);
    expect(nb.risk).toMatchObject({ score: expect.any(Number), alerts: 0, overridden: true });
    expect(selected).toEqual([]); // classical runs start no tensor backend

    const events: LabEvent['type'][] = [];
    const ft = await l.train(
      { datasetId: meta.id, config: { name: 'ft', model: { type: 'fasttext', dim: 8, buckets: 128, train: { epochs: 3, batchSize: 32, lr: 0.05, logEvery: 2 } }, guard: TOY } },
      (e) => events.push(e.type),
    );
    expect(events).toContain('run-started');
    expect(events).toContain('step');
    expect(events.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(events.at(-1)).toBe('done');
    expect(ft.validation.accuracy).toBeGreaterThan(0.9);

    const runs = await l.listRuns();
    expect(runs.map((r) => r.status)).toEqual(['done', 'done']);
    const detail = await l.getRun(ft.run);
    expect(detail.metrics.filter((m) => m.kind === 'epoch')).toHaveLength(3);
    expect(detail.classes).toEqual(['World', 'Sports', 'Business', 'Sci/Tech']);

    const p = await l.predict(nb.run, ['the league coach and the goal']);
    expect(p.classes[p.probs[0].indexOf(Math.max(...p.probs[0]))]).toBe('Sports');

    await l.deleteRun(nb.run);
    expect((await l.listRuns()).map((r) => r.runId)).toEqual([ft.run]);
  });

  it('refuses a risky config before any training, with safer alternatives; an override runs it and is recorded', async () => {
    const { l } = lab();
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(200) });
    const risky = { name: 'risky', model: { type: 'transformer', minCount: 1, maxTokens: 16, dim: 16, heads: 2, dropout: 0, train: { epochs: 200, maxLen: 16, lr: 0.5 } } };
    await expect(l.train({ datasetId: meta.id, config: risky }, () => {})).rejects.toThrow(/Config blocked by .*learning-rate.*Safer: model\.train\.lr: 0\.001/s);
    expect(await l.listRuns()).toEqual([]);
  });

  it('rejects a bad config with every problem named, and cancels a run', async () => {
    const { l } = lab();
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(200) });
    await expect(l.train({ datasetId: meta.id, config: { model: { type: 'fasttext', dim: -1, nope: 1 } } }, () => {})).rejects.toThrow(/model\.dim.*nope/s);
    const pending = l.train(
      { datasetId: meta.id, config: { name: 'slow', model: { type: 'fasttext', dim: 8, buckets: 64, train: { epochs: 50, batchSize: 4, logEvery: 1 } }, guard: TOY } },
      (e) => {
        if (e.type === 'step' && e.step === 3) void l.cancel();
      },
    );
    await expect(pending).rejects.toThrow(/Cancelled/);
    expect((await l.listRuns())[0].status).toBe('cancelled');
  });
});
