import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';

const enc = new TextEncoder();
const TOY = { override: { reason: 'unit test on a toy dataset' } };
const WORDS = [
  ['war', 'minister', 'election', 'troops'],
  ['match', 'goal', 'league', 'coach'],
];
function files(n: number) {
  const rows = Array.from({ length: n }, (_, i) => {
    const w = WORDS[i % 2];
    return `"${(i % 2) + 1}","${w[i % 4]} ${w[(i + 1) % 4]} ${i}","the ${w[(i + 2) % 4]} today ${i}"`;
  });
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - 20).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - 20).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\n') },
  ];
}

const textCnn = (techniques: object) => ({
  type: 'textcnn',
  minCount: 1,
  embeddingDim: 8,
  filters: 4,
  widths: [2],
  train: { epochs: 2, batchSize: 16, lr: 0.02, logEvery: 1, techniques },
});

describe("curriculum ranked by a finished run's loss (lab, CPU backend)", () => {
  it('the named run scores the training texts before training; a missing run is named', async () => {
    const l = createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
    const ds = await l.importDataset({ kind: 'agnews', files: files(200) });
    await l.train({ datasetId: ds.id, runId: 'first', config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
    const phases: string[] = [];
    let steps = 0;
    const r = await l.train({ datasetId: ds.id, runId: 'paced', config: { name: 'cnn', model: textCnn({ curriculum: { score: 'loss', run: 'first' } }), guard: TOY } }, (e) => {
      if (e.type === 'phase' && e.done === 1) phases.push(e.phase);
      if (e.type === 'step') steps = e.step;
    });
    expect(phases).toContain(`Curriculum: first scoring ${r.data.train} training texts`);
    // 2 epochs, root pacing from a third of each class, all examples from epoch 2 on.
    expect(steps).toBe(Math.ceil((2 * Math.ceil(0.33 * (r.data.train / 2) - 1e-9)) / 16) + Math.ceil(r.data.train / 16));
    await expect(
      l.train({ datasetId: ds.id, runId: 'lost', config: { name: 'cnn', model: textCnn({ curriculum: { score: 'loss', run: 'nowhere' } }), guard: TOY } }, () => {}),
    ).rejects.toThrow(/nowhere/);
  });
});
