import { describe, expect, it } from 'vitest';
import type { ResultRecord } from './result';
import { resultsCsv, resultsJson, resultsTable, type RunInput } from './results-table';
import { groupBySeeds } from './seed-study';
import { canonicalJson, configHash, csvField, toCsv } from '../eval/serialize';

function fakeResult(run: string, seed: number, accuracy: number, model = 'tfidf-nb'): ResultRecord {
  return {
    run,
    model,
    family: 'classical',
    backend: 'cpu',
    seed,
    config: 'quickstart, "nb"',
    data: { train: 1000, validation: 100, fingerprint: 'sha256:00' },
    validation: { accuracy, macroF1: accuracy - 0.01, loss: 0.4 },
    timings: { trainSeconds: 2, totalSeconds: 3 },
    modelBytes: 4096,
    parameters: 1000,
    epochs: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('serialisation', () => {
  it('quotes CSV fields as RFC 4180 requires', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(0.5)).toBe('0.5');
    expect(csvField(undefined)).toBe('');
    expect(csvField(NaN)).toBe('');
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 1],
          ['"', undefined],
        ],
      ),
    ).toBe('a,b\r\n"x,y",1\r\n"""",\r\n');
  });
  it('canonical JSON sorts keys at every depth and hashes independently of key order', async () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([undefined, NaN, 'x'])).toBe('[null,null,"x"]');
    expect(await configHash({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'); // sha256("{}")
    expect(await configHash({ a: 1, b: [2] })).toBe(await configHash({ b: [2], a: 1 }));
    expect(await configHash({ a: 1 })).not.toBe(await configHash({ a: 2 }));
  });
});

describe('results table', () => {
  const config = (seed: number) => ({ name: 'quickstart', seed, model: { type: 'tfidf-nb', alpha: 1 } });
  const runs: RunInput[] = [
    {
      result: fakeResult('r1', 1, 0.9),
      config: config(1),
      evals: [
        {
          file: 'eval-test-2025-01-02.json',
          report: { split: 'test', n: 100, accuracy: 0.88, macroF1: 0.87, ci95: [0.8, 0.94], ciMacroF1: [0.79, 0.93], ece: 0.02, logLoss: 0.3 },
        },
        { file: 'eval-test-2025-01-01.json', report: { split: 'test', n: 100, accuracy: 0.5, macroF1: 0.5 } },
      ],
    },
    { result: fakeResult('r2', 2, 0.92), config: config(2) },
    { result: fakeResult('r3', 1, 0.8, 'tfidf-svm'), config: { ...config(1), model: { type: 'tfidf-svm' } } },
  ];

  it('one row per run, latest eval per split, config hashes with and without seed', async () => {
    const rows = await resultsTable(runs);
    expect(rows.map((r) => r.run)).toEqual(['r1', 'r2', 'r3']);
    expect(rows[0].evals.test).toMatchObject({ file: 'eval-test-2025-01-02.json', accuracy: 0.88, ciAccuracy: [0.8, 0.94] });
    expect(rows[0].configHash).toBe(await configHash(config(1)));
    expect(rows[0].configHash).not.toBe(rows[1].configHash);
    expect(rows[0].experimentHash).toBe(rows[1].experimentHash);
    expect(rows[0].efficiency).toEqual({ parameters: 1000, modelBytes: 4096, trainSeconds: 2, totalSeconds: 3 });
    expect(rows[0].seeds).toEqual([1]);
  });

  it('groups runs that differ only in seed as mean ± sample std', async () => {
    const groups = groupBySeeds(await resultsTable(runs));
    expect(groups.map((g) => [g.model, g.runs])).toEqual([
      ['tfidf-nb', ['r1', 'r2']],
      ['tfidf-svm', ['r3']],
    ]);
    expect(groups[0].seeds).toEqual([1, 2]);
    expect(groups[0].metrics['validation.accuracy']).toMatchObject({ n: 2, mean: expect.closeTo(0.91, 12), std: expect.closeTo(Math.SQRT2 * 0.01, 12) });
    expect(groups[0].metrics['test.accuracy']).toMatchObject({ n: 1, mean: 0.88 });
  });

  it('writes CSV with per-split columns and quoted fields, and JSON that parses back', async () => {
    const rows = await resultsTable(runs);
    const csv = resultsCsv(rows);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(5); // header, 3 rows, trailing empty
    const header = lines[0].split(',');
    expect(header.slice(0, 3)).toEqual(['run', 'model', 'family']);
    expect(header).toContain('test_accuracy_lo');
    expect(lines[1]).toContain('"quickstart, ""nb"""');
    const cells = lines[1].replace('"quickstart, ""nb"""', 'CONFIG').split(',');
    expect(cells[header.indexOf('test_accuracy')]).toBe('0.88');
    expect(cells[header.indexOf('test_macro_f1_hi')]).toBe('0.93');
    expect(lines[2].replace('"quickstart, ""nb"""', 'CONFIG').split(',')[header.indexOf('test_accuracy')]).toBe('');
    const json = JSON.parse(resultsJson(rows));
    expect(json.runs).toEqual(JSON.parse(JSON.stringify(rows)));
    expect(json.groups).toHaveLength(2);
  });
});
