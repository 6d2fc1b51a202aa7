import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';

const enc = new TextEncoder();
const TOY = { override: { reason: 'unit test on a toy dataset' } };
const WORDS = [
  ['war', 'minister', 'election', 'troops', 'embassy', 'rebels'],
  ['match', 'goal', 'league', 'coach', 'striker', 'season'],
  ['shares', 'market', 'profit', 'stocks', 'bank', 'earnings'],
  ['software', 'chip', 'internet', 'computer', 'browser', 'server'],
];
/** Four topics; one word in five is borrowed from the next topic, so models make a few mistakes. */
function agnewsFiles(n: number) {
  const rows = Array.from({ length: n }, (_, i) => {
    const k = i % 4;
    const w = WORDS[k];
    const other = WORDS[(k + 1) % 4];
    const noisy = i % 5 === 0 ? `${other[i % 6]} ${other[(i + 1) % 6]} ${other[(i + 2) % 6]}` : w[(i + 3) % 6];
    return `"${k + 1}","${w[i % 6]} ${w[(i + 1) % 6]} item ${i}","the ${w[(i + 2) % 6]} and ${noisy} report ${i}"`;
  });
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - 80).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - 80).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
  ];
}

function lab() {
  return createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [], heapBytes: () => 1234 });
}

describe('lab guard, evaluation and comparison', () => {
  it('seals the test split and reports leakage at import', async () => {
    const l = lab();
    // One story in train and, a word longer, in test: a near copy (Jaccard of word trigrams 8/9).
    const files = agnewsFiles(600);
    const story = 'the league coach praised the young striker after the derby match on sunday';
    files[0].bytes = enc.encode(`${new TextDecoder().decode(files[0].bytes)}\n"2","${story}",""`);
    files[1].bytes = enc.encode(`${new TextDecoder().decode(files[1].bytes)}\n"2","${story} night",""`);
    const meta = await l.importDataset({ kind: 'agnews', files });
    const status = await l.guardStatus(meta.id);
    expect(status).toMatchObject({ budget: 5, used: 0, left: 5, verified: { ok: true } });
    expect(status.contentHash).toMatch(/^sha256:|^[0-9a-f]{64}$/);
    const leak = await l.leakage(meta.id);
    expect(leak?.sizes).toEqual({ train: meta.sizes.train, validation: meta.sizes.validation, test: 81 });
    expect(leak?.pairs.map((p) => p.pair)).toEqual(['train-validation', 'train-test', 'validation-test']);
    expect(leak?.pairs.find((p) => p.pair === 'train-test')).toEqual({ pair: 'train-test', exact: 0, near: 1, affected: 1 });
    // Training on it warns before the first step.
    const logs: string[] = [];
    await l.train({ datasetId: meta.id, config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, (e) => void (e.type === 'log' && logs.push(e.message)));
    expect(logs).toContain('leakage: 1 test example has a copy in train (0 exact, 1 near pairs): test scores will read optimistic by about that share');
    const changed = await l.setTestBudget(meta.id, 7, 'a second held-out question');
    expect(changed.left).toBe(7);
    expect(changed.log.at(-1)).toMatchObject({ outcome: 'budget', purpose: 'a second held-out question' });
  });

  it('records analysis and efficiency, evaluates on test through the guard, compares runs and writes results files', async () => {
    const l = lab();
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(600) });
    const nb = await l.train({ datasetId: meta.id, config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
    const sgd = await l.train({ datasetId: meta.id, config: { name: 'sgd', model: { type: 'tfidf-sgd' }, guard: TOY } }, () => {});
    expect(nb.efficiency).toMatchObject({ textsPerSecond: expect.any(Number), latencyP50Ms: expect.any(Number), latencyP95Ms: expect.any(Number), peakHeapBytes: 1234 });
    expect(nb.efficiency!.latencyP95Ms).toBeGreaterThanOrEqual(nb.efficiency!.latencyP50Ms);

    const detail = await l.getRun(nb.run);
    expect(detail.analysis?.split).toBe('validation');
    expect(detail.analysis?.n).toBe(meta.sizes.validation);
    expect(detail.analysis?.accuracy).toBeCloseTo(nb.validation.accuracy, 10);
    expect(detail.risk?.score).toBe(nb.risk?.score);
    expect(detail.safety).toMatchObject({ overridden: true, reason: TOY.override.reason });
    expect(detail.testEvals).toEqual([]);

    await expect(l.evaluateTest(nb.run, '   ')).rejects.toThrow(/purpose/);
    const ev = await l.evaluateTest(nb.run, 'final check of the NB baseline');
    expect(ev).toMatchObject({ split: 'test', n: 80, guard: { budgetLeft: 4, dataset: meta.id }, purpose: 'final check of the NB baseline' });
    expect((await l.getRun(nb.run)).testEvals.map((e) => e.accuracy)).toEqual([ev.accuracy]);
    const log = (await l.guardStatus(meta.id)).log;
    expect(log.map((e) => e.outcome)).toEqual(['refused', 'granted']);
    expect(log[1]).toMatchObject({ runId: nb.run, caller: 'page' });

    const cmp = await l.compare([nb.run, sgd.run]);
    expect(cmp.runs.map((r) => r.configName)).toEqual(['nb', 'sgd']);
    expect(cmp.runs[0].test?.accuracy).toBe(ev.accuracy);
    expect(cmp.pairs).toHaveLength(1);
    const pair = cmp.pairs[0];
    expect(pair.n).toBe(meta.sizes.validation);
    // McNemar's discordant counts must explain the accuracy difference exactly.
    expect((pair.mcnemar.b - pair.mcnemar.c) / pair.n).toBeCloseTo(nb.validation.accuracy - sgd.validation.accuracy, 10);
    expect(pair.bootstrap.delta).toBeCloseTo(nb.validation.accuracy - sgd.validation.accuracy, 10);
    expect(cmp.untested).toEqual([]);

    const files = await l.resultsFiles([nb.run, sgd.run]);
    const lines = files.csv.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('test_accuracy');
    expect(lines[0]).toContain('latency_p95_ms');
    expect(JSON.parse(files.json).runs.map((r: { run: string }) => r.run)).toEqual([nb.run, sgd.run]);
  });

  it('groups runs over seeds and tests them pairwise with Bonferroni', async () => {
    const l = lab();
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(600) });
    const ids: string[] = [];
    for (const model of ['tfidf-nb', 'tfidf-sgd'])
      for (const seed of [1, 2, 3])
        ids.push((await l.train({ datasetId: meta.id, config: { name: model, seed, data: { maxTrain: 200 }, model: { type: model }, guard: TOY } }, () => {})).run);
    const cmp = await l.compare(ids);
    expect(cmp.seeds.groups.map((g) => g.seeds)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(cmp.seeds.baseline).toBe('tfidf-nb');
    expect(cmp.seeds.tests).toHaveLength(1);
    expect(cmp.seeds.tests[0]).toMatchObject({ configName: 'tfidf-sgd', n: 3, df: 2 });
    expect(cmp.pairs).toHaveLength(15);
    for (const p of cmp.pairs) expect(p.adjustedP).toBeCloseTo(Math.min(1, p.mcnemar.pValue * 15), 12);
  });

  it('answers robustness, top-feature and grid-search questions; refuses what a model cannot do', async () => {
    const l = lab();
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(600) });
    const svm = await l.train({ datasetId: meta.id, config: { name: 'svm', model: { type: 'tfidf-svm' }, guard: TOY } }, () => {});
    const rob = await l.robustness(svm.run, { rate: 0.3 });
    expect(rob.n).toBe(meta.sizes.validation);
    expect(rob.perturbations.map((p) => p.kind)).toEqual(['typos', 'char-noise', 'word-drop']);
    for (const p of rob.perturbations) expect(p.drop).toBeCloseTo(rob.clean - p.accuracy, 12);

    const top = await l.topFeatures(svm.run, 5);
    expect(top.map((t) => t.class)).toEqual(meta.classes);
    const sports = top[1].features.map((f) => f.feature);
    expect(sports.some((f) => WORDS[1].some((w) => f.includes(w)))).toBe(true);
    await expect(l.explain(svm.run, 'the league coach')).rejects.toThrow(/feature weights/);

    const events: string[] = [];
    const grid = await l.gridSearch({ datasetId: meta.id, config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY }, grid: { alpha: [0.01, 1] } }, (e) =>
      events.push(e.type),
    );
    expect(grid.results.map((r) => r.params)).toEqual([{ alpha: 0.01 }, { alpha: 1 }]);
    expect(grid.best.accuracy).toBe(Math.max(...grid.results.map((r) => r.accuracy)));
    expect((grid.bestConfig as { model: { alpha: number } }).model.alpha).toBe(grid.best.params.alpha);
    expect(events).toContain('phase');
    await expect(l.gridSearch({ datasetId: meta.id, config: { model: { type: 'tfidf-nb' } }, grid: { alpha: [-1] } }, () => {})).rejects.toThrow(/alpha/);
    await expect(l.gridSearch({ datasetId: meta.id, config: { model: { type: 'fasttext' } }, grid: { dim: [4] } }, () => {})).rejects.toThrow(/classical/);
  });

  it('fetches a WordPiece vocabulary named by URL when a run starts, and says why a download failed', async () => {
    const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the', 'and', 'report', 'item', ...WORDS.flat()].join('\n');
    const fetched: string[] = [];
    const l = createLab({
      store: memoryStore(),
      selectBackend: async () => ({ backend: 'cpu', skipped: [] }),
      presets: [],
      fetch: (async (url: string) => {
        fetched.push(url);
        return url.endsWith('/vocab.txt') ? new Response(vocab) : new Response('missing', { status: 404 });
      }) as typeof fetch,
    });
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(400) });
    const model = {
      type: 'transformer',
      tokenizer: 'wordpiece',
      vocabFile: 'https://example.test/bert/vocab.txt',
      maxTokens: 16,
      dim: 16,
      layers: 1,
      heads: 2,
      ffDim: 16,
      train: { epochs: 1, batchSize: 32, maxLen: 16 },
    };
    const r = await l.train({ datasetId: meta.id, config: { name: 'wp', model, guard: TOY } }, () => {});
    expect(fetched).toEqual(['https://example.test/bert/vocab.txt']);
    expect(r.validation.accuracy).toBeGreaterThan(0);
    // The model keeps its vocabulary: predicting needs no second download, and config.json
    // names the file rather than carrying its entries.
    await l.predict(r.run, ['the league coach']);
    expect(fetched).toHaveLength(1);
    expect((await l.getRun(r.run)).config).toMatchObject({ model: { vocabFile: 'https://example.test/bert/vocab.txt' } });
    expect(JSON.stringify((await l.getRun(r.run)).config)).not.toContain('"vocab"');
    await expect(l.train({ datasetId: meta.id, config: { name: 'wp', model: { ...model, vocabFile: 'https://example.test/nope.txt' }, guard: TOY } }, () => {})).rejects.toThrow(
      /model\.vocabFile https:\/\/example\.test\/nope\.txt: download failed with HTTP 404/,
    );
  });
});
