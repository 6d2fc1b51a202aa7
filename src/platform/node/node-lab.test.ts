import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLab } from '../../core/lab/lab';
import { FileStore } from './file-store';
import { runDirs } from './run-dirs';

const enc = new TextEncoder();
const WORDS = [
  ['war', 'minister', 'election', 'troops'],
  ['match', 'goal', 'league', 'coach'],
  ['shares', 'market', 'profit', 'stocks'],
  ['software', 'chip', 'internet', 'computer'],
];
function files(n: number) {
  const rows = Array.from({ length: n }, (_, i) => `"${(i % 4) + 1}","${WORDS[i % 4][i % 3]} item ${i}","the ${WORDS[i % 4][(i + 1) % 4]} report ${i}"`);
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - 40).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - 40).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
  ];
}

const root = mkdtempSync(join(tmpdir(), 'agnews-node-lab-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the lab on disk (one folder per run)', () => {
  it('compares runs that live in folders', async () => {
    const lab = createLab({
      store: new FileStore(join(root, 'lab')),
      runs: runDirs(),
      selectBackend: async () => ({ backend: 'cpu', skipped: [] }),
      presets: [],
      heapBytes: () => 0,
    });
    const meta = await lab.importDataset({ kind: 'agnews', files: files(400) });
    const guard = { override: { reason: 'unit test on a toy dataset' } };
    const a = join(root, 'runs', 'nb');
    const b = join(root, 'runs', 'sgd');
    await lab.train({ datasetId: meta.id, runId: a, config: { name: 'nb', model: { type: 'tfidf-nb' }, guard } }, () => {});
    await lab.train({ datasetId: meta.id, runId: b, config: { name: 'sgd', model: { type: 'tfidf-sgd' }, guard } }, () => {});
    const cmp = await lab.compare([a, b]);
    expect(cmp.runs.map((r) => r.configName)).toEqual(['nb', 'sgd']);
    expect(cmp.rows).toHaveLength(2);
    expect(cmp.pairs.length + cmp.untested.length).toBe(1);
  });
});
