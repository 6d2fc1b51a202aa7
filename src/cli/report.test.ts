import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../core/util/errors';
import { reportCommand } from './report';

/** A run folder as `agnews train` leaves it, written by hand. */
function fakeRun(root: string, name: string, opts: { seed: number; accuracy: number; status?: string; evalReport?: object; noResult?: boolean }): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const config = { name: 'quickstart-nb', seed: opts.seed, data: {}, model: { type: 'tfidf-nb', alpha: 1 } };
  const now = '2025-01-01T00:00:00.000Z';
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      runId: name,
      configName: 'quickstart-nb',
      model: 'tfidf-nb',
      datasetId: 'ag_news',
      classes: ['World', 'Sports', 'Business', 'Sci/Tech'],
      status: opts.status ?? 'done',
      createdAt: now,
      updatedAt: now,
    }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  if (!opts.noResult)
    writeFileSync(
      join(dir, 'result.json'),
      JSON.stringify({
        run: name,
        model: 'tfidf-nb',
        family: 'classical',
        backend: 'cpu',
        seed: opts.seed,
        config: 'quickstart-nb',
        data: { train: 1080, validation: 120, fingerprint: 'sha256:ab' },
        validation: { accuracy: opts.accuracy, macroF1: opts.accuracy - 0.01, loss: 0.5 },
        timings: { trainSeconds: 1.25, totalSeconds: 2 },
        modelBytes: 12345,
        parameters: 6789,
        epochs: 1,
        createdAt: now,
      }),
    );
  if (opts.evalReport) writeFileSync(join(dir, 'eval-test-20250102T000000Z.json'), JSON.stringify(opts.evalReport));
  return dir;
}

const evalReport = {
  split: 'test',
  n: 300,
  accuracy: 0.85,
  macroF1: 0.84,
  ci95: [0.81, 0.89],
  ciMacroF1: [0.8, 0.88],
  ece: 0.03,
  ciEce: [0.02, 0.06],
  logLoss: 0.45,
  ciLogLoss: [0.4, 0.5],
  brier: 0.22,
  top2: 0.95,
  perClass: {},
};

describe('agnews report', () => {
  afterEach(() => vi.restoreAllMocks());

  it('tabulates two finished runs into results.csv and results.json', async () => {
    const root = mkdtempSync(join(tmpdir(), 'agnews-report-'));
    const a = fakeRun(root, 'run-a', { seed: 1, accuracy: 0.9, evalReport });
    const b = fakeRun(root, 'run-b', { seed: 2, accuracy: 0.92 });
    const out = join(root, 'out');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await reportCommand({ runs: [a, b], out, json: true });
    const printed = JSON.parse(String(write.mock.calls.at(-1)![0]));
    expect(printed.runs).toBe(2);

    const csv = readFileSync(join(out, 'results.csv'), 'utf8').split('\r\n');
    expect(csv).toHaveLength(4);
    const header = csv[0].split(',');
    const row = (i: number) => Object.fromEntries(csv[i].split(',').map((v, j) => [header[j], v]));
    expect(row(1)).toMatchObject({
      run: 'run-a',
      model: 'tfidf-nb',
      seeds: '1',
      val_accuracy: '0.9',
      test_accuracy: '0.85',
      test_accuracy_lo: '0.81',
      test_macro_f1_hi: '0.88',
      test_ece: '0.03',
      parameters: '6789',
      model_bytes: '12345',
    });
    expect(row(1).config_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row(2)).toMatchObject({ run: 'run-b', seeds: '2', test_accuracy: '' });

    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(json.runs.map((r: { run: string }) => r.run)).toEqual(['run-a', 'run-b']);
    expect(json.groups).toHaveLength(1);
    expect(json.groups[0].metrics['validation.accuracy'].mean).toBeCloseTo(0.91, 12);

    // A folder holding run folders stands for the runs inside it.
    await reportCommand({ runs: [root], out: join(root, 'out2') });
    expect(readFileSync(join(root, 'out2', 'results.csv'), 'utf8').split('\r\n')).toHaveLength(4);
  });

  it('refuses a missing, unfinished or incomplete run folder with a one-line InputError', async () => {
    const root = mkdtempSync(join(tmpdir(), 'agnews-report-bad-'));
    const running = fakeRun(root, 'running', { seed: 1, accuracy: 0.9, status: 'running', noResult: true });
    const noResult = fakeRun(root, 'no-result', { seed: 1, accuracy: 0.9, status: 'done', noResult: true });
    const badEval = fakeRun(root, 'bad-eval', { seed: 1, accuracy: 0.9, evalReport: { split: 'test' } });
    const report = (dir: string) => reportCommand({ runs: [dir], out: join(root, 'o') });
    await expect(report(join(root, 'nope'))).rejects.toThrow(/no such run folder/);
    await expect(report(running)).rejects.toThrow(/run is not finished \(status "running"\)/);
    await expect(report(noResult)).rejects.toThrow(/not a finished run \(result\.json missing\)/);
    await expect(report(badEval)).rejects.toThrow(/eval-test-20250102T000000Z\.json is not an evaluation report/);
    await expect(report(join(root, 'nope'))).rejects.toBeInstanceOf(InputError);
    await expect(reportCommand({ runs: [mkdtempSync(join(tmpdir(), 'agnews-empty-'))], out: join(root, 'o') })).rejects.toThrow(/holds no run folders/);
    for (const dir of [running, noResult]) await expect(report(dir)).rejects.toThrow(/^[^\n]*$/);
  });

  it('is registered on the agnews command line and fails with one line on stderr', () => {
    const root = mkdtempSync(join(tmpdir(), 'agnews-report-cli-'));
    const a = fakeRun(root, 'run-a', { seed: 1, accuracy: 0.9, evalReport });
    const ok = spawnSync(process.execPath, ['bin/agnews.js', 'report', '--runs', a, '--out', join(root, 'out')], { encoding: 'utf8', timeout: 60_000 });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/wrote .*results\.csv/);
    const bad = spawnSync(process.execPath, ['bin/agnews.js', 'report', '--runs', join(root, 'missing'), '--out', join(root, 'out')], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^agnews: --runs .*missing: no such run folder/);
  }, 90_000);
});
