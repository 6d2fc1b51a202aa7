/**
 * `agnews recommend` and `agnews train --dry-run` on a small slice of AG News, with this
 * "device's" rates already in the runner's store (made up, so the run takes seconds and its
 * ranking is known): the JSON contract's last line, the plain output, and one-line refusals.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrationKey, PLAIN_DEVICE } from '../core/estimate/calibration';
import { fitRateKey, type FitRate } from '../core/estimate/fit-rate';
import { trainsOnPlain } from '../core/estimate/estimate';
import { parseExperimentConfig } from '../core/experiment/config';
import type { Calibration, RecommendResult, RunEstimate } from '../core/lab/quota-api';

const DATA = '../shared/data/ag_news';
const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const cwd = mkdtempSync(join(tmpdir(), 'agnews-recommend-'));
const agnews = (...args: string[]) =>
  spawnSync(process.execPath, [join(process.cwd(), 'bin/agnews.js'), ...args], { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, AGNEWS_CACHE: cache } });

function slice(train: number, test: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'agnews-slice-'));
  const head = (f: string, n: number) => readFileSync(join(DATA, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
  writeFileSync(join(dir, 'train.csv'), head('train.csv', train));
  writeFileSync(join(dir, 'test.csv'), head('test.csv', test));
  writeFileSync(join(dir, 'classes.txt'), readFileSync(join(DATA, 'classes.txt')));
  return dir;
}

/** Made-up rates: 1 ms per training example for every preset but tfidf-logreg (1 s: over any small budget). */
const rate = (name: string): FitRate => ({
  config: name,
  device: 'test',
  fixedSeconds: 0.5,
  fitSecondsPerExample: name === 'tfidf-logreg' ? 1 : 0.001,
  epochs: 1,
  parameters: 1e9,
  predictSecondsPerExample: 1e-4,
  predictCallSeconds: 1e-3,
  saveSecondsPerByte: 0,
  shape: `made-up rate of ${name}`,
  seconds: 0,
  measuredAt: 'never',
});

async function storeRates(): Promise<void> {
  const put = (path: string, value: unknown) => {
    const file = join(cache, 'lab', ...path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(value));
  };
  const calibration: Calibration = { backend: 'cpu', device: 'cpu', trainFlopsPerSecond: 1e9, shape: 'made up', seconds: 0, measuredAt: 'never' };
  put(await calibrationKey('cpu', 'cpu'), calibration);
  for (const f of readdirSync('configs').filter((x) => x.endsWith('.json'))) {
    const config = parseExperimentConfig(JSON.parse(readFileSync(join('configs', f), 'utf8')));
    put(await fitRateKey(config.model, trainsOnPlain(config.model) ? PLAIN_DEVICE : 'cpu'), rate(config.name));
  }
}

const present = existsSync(join(DATA, 'train.csv'));
describe.skipIf(!present)('agnews recommend and train --dry-run (skipped: ../shared/data/ag_news absent)', () => {
  let data = '';
  beforeAll(async () => {
    data = slice(1200, 100);
    await storeRates();
  });

  it('recommend --json: the last line lists what fits, measured accuracy first, and why the rest do not', () => {
    const out = agnews('recommend', '--data', data, '--budget', '2m', '--backend', 'cpu', '--json');
    expect(out.status, out.stderr).toBe(0);
    const r = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as RecommendResult;
    const names = r.recommendations.map((x) => x.preset);
    // The measured TF-IDF presets first, by accuracy; logreg's made-up rate puts it over the budget.
    expect(names.slice(0, 3)).toEqual(['tfidf-svm', 'tfidf-sgd', 'tfidf-nb']);
    expect(r.recommendations[0]).toMatchObject({ estimate: { seconds: expect.any(Number), peakBytes: expect.any(Number), checkpointBytes: expect.any(Number) } });
    expect(r.recommendations[0].expectedAccuracy?.source).toMatch(/cross-validation/);
    for (const x of r.recommendations) expect(x.estimate.seconds).toBeLessThanOrEqual(120);
    const rejected = Object.fromEntries(r.rejected.map((x) => [x.preset, x.reason]));
    expect(rejected['tfidf-logreg']).toMatch(/^over time by \d+ min: about \d+ min/);
    // BERT-base on the CPU backend at a made-up 1 GFLOP/s: hours.
    expect(rejected['bert-base-lora']).toMatch(/^over time by/);
    expect(names.length + r.rejected.length).toBe(readdirSync('configs').filter((x) => x.endsWith('.json')).length);
  }, 300_000);

  it('train --dry-run --json prints the estimate and the verdict and writes no run folder', () => {
    const out = agnews('train', '--config', join(process.cwd(), 'configs/quickstart-nb.json'), '--data', data, '--dry-run', '--json');
    expect(out.status, out.stderr).toBe(0);
    const r = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { dryRun: boolean; guard: string; estimate: RunEstimate };
    expect(r).toMatchObject({ dryRun: true, guard: 'would start', estimate: { model: 'tfidf-nb', backend: 'cpu', epochs: 1, problems: [] } });
    // 1,080 training texts after the 10% validation split: 0.5 s + 1.08 s.
    expect(r.estimate.trainExamples).toBe(1080);
    expect(r.estimate.secondsPerEpoch).toBeCloseTo(1.58, 6);
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
    const plain = agnews('train', '--config', join(process.cwd(), 'configs/quickstart-nb.json'), '--data', data, '--dry-run');
    expect(plain.stdout).toMatch(/^guard {8}would let it start$/m);
    expect(plain.stdout).toMatch(/made-up rate of quickstart-nb/);
  }, 300_000);

  it('refuses a budget or memory that is not one, in one line, before reading the data', () => {
    const bad = agnews('recommend', '--data', '/nonexistent', '--budget', '10 parsecs');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim()).toBe('agnews: --budget must be a positive duration such as 60s, 10m or 1h, got "10 parsecs"');
    const mem = agnews('recommend', '--data', '/nonexistent', '--budget', '1m', '--memory', 'lots');
    expect(mem.stderr.trim()).toBe('agnews: --memory must be a positive size such as 2GB or 512MiB, got "lots"');
  }, 120_000);
});
