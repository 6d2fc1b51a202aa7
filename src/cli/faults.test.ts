/**
 * The runner under faults, each as a user meets it: concurrent test evaluations, two trainings
 * into one folder, an existing run in --out, damaged weights, an output folder that cannot be
 * written, and progress in a log file. The data is written by the test (no shared files needed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cache = mkdtempSync(join(tmpdir(), 'agnews-faults-cache-'));
const env = { ...process.env, AGNEWS_CACHE: cache };
const SPAWNS = 240_000;
const agnews = (...args: string[]) => spawnSync(process.execPath, ['bin/agnews.js', ...args], { encoding: 'utf8', timeout: 120_000, env });
/** Runs started together, each resolving to its exit code and output. */
const agnewsAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const p = spawn(process.execPath, ['bin/agnews.js', ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => done({ status, stdout, stderr }));
  });

const WORDS = [
  ['war', 'minister', 'election', 'troops', 'embassy'],
  ['match', 'goal', 'league', 'coach', 'striker'],
  ['shares', 'market', 'profit', 'stocks', 'bank'],
  ['software', 'chip', 'internet', 'computer', 'browser'],
];
const root = mkdtempSync(join(tmpdir(), 'agnews-faults-'));
const data = join(root, 'data');
{
  const rows = (n: number, off: number) =>
    Array.from({ length: n }, (_, j) => {
      const i = j + off;
      const w = WORDS[i % 4];
      return `"${(i % 4) + 1}","${w[i % 5]} ${w[(i + 1) % 5]} story ${i}","the ${w[(i + 2) % 5]} and ${w[(i + 3) % 5]} report ${i}"`;
    }).join('\n') + '\n';
  spawnSync('mkdir', ['-p', data]);
  writeFileSync(join(data, 'train.csv'), rows(800, 0));
  writeFileSync(join(data, 'test.csv'), rows(80, 5000));
  writeFileSync(join(data, 'classes.txt'), 'World\nSports\nBusiness\nSci/Tech\n');
}
const guard = { override: { reason: 'a toy dataset in a runner test' } };
const nbConfig = join(root, 'nb.json');
writeFileSync(nbConfig, JSON.stringify({ name: 'nb', model: { type: 'tfidf-nb' }, guard }));
const ftConfig = join(root, 'ft.json');
writeFileSync(ftConfig, JSON.stringify({ name: 'ft', model: { type: 'fasttext', dim: 8, buckets: 512, train: { epochs: 2, batchSize: 8, lr: 0.05 } }, guard }));
const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('agnews under faults', () => {
  const run = join(root, 'runs', 'nb');

  it(
    'refuses an --out that holds a run unless --force, and one it cannot write, before reading data',
    () => {
      const t = agnews('train', '--config', nbConfig, '--data', data, '--out', run, '--json');
      expect(t.status, t.stderr).toBe(0);
      const again = agnews('train', '--config', nbConfig, '--data', data, '--out', run);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/--out .*nb already holds a run: choose another folder, or pass --force/);
      const forced = agnews('train', '--config', nbConfig, '--data', data, '--out', run, '--force', '--seed', '7', '--json');
      expect(forced.status, forced.stderr).toBe(0);
      expect(last(forced.stdout).seed).toBe(7);

      const started = Date.now();
      const proc = agnews('train', '--config', nbConfig, '--data', data, '--out', '/proc/agnews-run/r');
      expect(proc.status).toBe(1);
      expect(proc.stderr).toMatch(/--out \/proc\/agnews-run\/r: cannot write there/);
      writeFileSync(join(root, 'a-file'), 'x');
      const file = agnews('train', '--config', nbConfig, '--data', data, '--out', join(root, 'a-file', 'r'));
      expect(file.stderr).toMatch(/is a file, not a folder/);
      expect(Date.now() - started).toBeLessThan(60_000);
    },
    SPAWNS,
  );

  it(
    'grants exactly the budget left to three concurrent test evaluations',
    async () => {
      const st = last(agnews('guard', 'status', '--data', data, '--json').stdout);
      // Spend down to two left through the runner itself.
      for (let k = 0; k < st.left - 2; k++) expect(agnews('eval', '--run', run, '--split', 'test', '--purpose', `spend ${k}`).status).toBe(0);
      const three = await Promise.all([1, 2, 3].map((k) => agnewsAsync('eval', '--run', run, '--split', 'test', '--purpose', `concurrent look ${k}`, '--json')));
      expect(three.filter((r) => r.status === 0)).toHaveLength(2);
      const refused = three.filter((r) => r.status !== 0);
      expect(refused).toHaveLength(1);
      expect(refused[0].stderr).toMatch(/test budget of 5 is spent/);
      expect(last(agnews('guard', 'status', '--data', data, '--json').stdout)).toMatchObject({ used: 5, left: 0 });
    },
    SPAWNS,
  );

  it(
    'two trainings into one folder: one wins, the other fails clearly',
    async () => {
      const out = join(root, 'runs', 'race');
      const both = await Promise.all([
        agnewsAsync('train', '--config', ftConfig, '--data', data, '--out', out, '--backend', 'cpu'),
        agnewsAsync('train', '--config', ftConfig, '--data', data, '--out', out, '--backend', 'cpu'),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([0, 1]);
      expect(both.find((r) => r.status === 1)!.stderr).toMatch(/in use by the run|already holds a run/);
      expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('done');
      const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).step);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(readdirSync(out).filter((f) => f.includes('.tmp-') || f.endsWith('.lock'))).toEqual([]);
    },
    SPAWNS,
  );

  it(
    'reads inputs strictly: line numbers kept, invalid UTF-8 and repeated config keys refused, blank text and folders named',
    () => {
      const texts = join(root, 'texts.txt');
      writeFileSync(texts, 'the striker scored\n\nshares fell on the market\n');
      const p = agnews('predict', '--run', run, '--file', texts, '--json');
      expect(p.status, p.stderr).toBe(0);
      expect(last(p.stdout).predictions.map((x: { line: number }) => x.line)).toEqual([1, 3]);
      expect(p.stderr).toMatch(/1 blank line\(s\) in .* skipped/);
      writeFileSync(texts, Buffer.from([0x61, 0xff, 0x0a]));
      expect(agnews('predict', '--run', run, '--file', texts).stderr).toMatch(/not valid UTF-8/);
      const blank = agnews('predict', '--run', run, '--text', '   ', '--json');
      expect(blank.status).toBe(0);
      expect(blank.stderr).toMatch(/warning: --text is only spaces/);
      const dup = join(root, 'dup.json');
      writeFileSync(dup, '{"name":"d","model":{"type":"tfidf-nb"},"model":{"type":"tfidf-svm"}}');
      expect(agnews('train', '--config', dup, '--data', data, '--out', join(root, 'runs', 'dup')).stderr).toMatch(/the key "model" appears twice/);
      const folder = join(root, 'folder-data');
      spawnSync('mkdir', ['-p', join(folder, 'train.csv')]);
      expect(agnews('train', '--config', nbConfig, '--data', folder, '--out', join(root, 'runs', 'f')).stderr).toMatch(/train\.csv is a folder, not a file/);
    },
    SPAWNS,
  );

  it(
    'refuses damaged weights by file name instead of printing null probabilities',
    () => {
      const shard = join(
        run,
        'checkpoints',
        readdirSync(join(run, 'checkpoints')).find((f) => f.endsWith('.safetensors'))!,
      );
      const bytes = readFileSync(shard);
      bytes[bytes.length - 5] ^= 0xff;
      writeFileSync(shard, bytes);
      const p = agnews('predict', '--run', run, '--text', 'the striker scored', '--json');
      expect(p.status).toBe(1);
      expect(p.stderr).toMatch(/checkpoints\/model-[ab]\.safetensors is corrupted/);
      expect(p.stdout).not.toMatch(/null/);
    },
    SPAWNS,
  );

  it(
    'prints plain progress lines when stderr is not a terminal',
    () => {
      const out = join(root, 'runs', 'progress');
      const r = spawnSync(process.execPath, ['bin/agnews.js', 'train', '--config', ftConfig, '--data', data, '--out', out, '--backend', 'cpu'], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...env, AGNEWS_PROGRESS_SECONDS: '0.001' },
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/progress: .* \| step \d+ of \d+ \(\d+%\) \| epoch [12] of 2 \| \d+ examples\/s \| loss [\d.]+ \| ETA /);
      expect(existsSync(join(out, 'result.json'))).toBe(true);
    },
    SPAWNS,
  );
});
