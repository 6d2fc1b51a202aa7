import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMIT, SHARED_MODELS, startStandInHub, type StandInHub } from '../../test/stand-in-hub';

const DATA = '../shared/data/ag_news';
const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
// Asynchronous spawns: the stand-in Hub answers from this process while the runner downloads.
const run = promisify(execFile);
async function agnews(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/agnews.js', ...args], {
      encoding: 'utf8',
      timeout: 200_000,
      env: { ...process.env, AGNEWS_CACHE: cache, ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { status: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}
const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

function slice(train: number, test: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'agnews-import-'));
  const head = (f: string, n: number) => readFileSync(join(DATA, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
  writeFileSync(join(dir, 'train.csv'), head('train.csv', train));
  writeFileSync(join(dir, 'test.csv'), head('test.csv', test));
  writeFileSync(join(dir, 'classes.txt'), readFileSync(join(DATA, 'classes.txt')));
  return dir;
}

const softmax = (z: number[]) => {
  const e = z.map((v) => Math.exp(v - Math.max(...z)));
  return e.map((v) => v / e.reduce((a, b) => a + b, 0));
};

const present = existsSync(DATA) && existsSync(SHARED_MODELS);
if (!present && process.env.CI) throw new Error(`the import-model CLI tests need ${DATA} and ../shared/models, absent under CI`);
let hub: StandInHub;
beforeAll(async () => {
  if (present) hub = await startStandInHub();
});
afterAll(() => hub?.close());

describe.skipIf(!present)('agnews import-model', () => {
  it('imports tiny-distilbert from the stand-in Hub into a run; predict gives PyTorch’s probabilities', async () => {
    const data = slice(300, 40);
    const out = join(mkdtempSync(join(tmpdir(), 'agnews-run-')), 'm');
    const env = { HF_ENDPOINT: hub.url };
    const r = await agnews(env, 'import-model', '--from', 'hf:local/tiny-distilbert', '--data', data, '--out', out, '--backend', 'cpu', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(last(r.stdout)).toMatchObject({ run: out, model: 'pretrained', epochs: 0, data: { train: 0, validation: 30 } });
    expect(JSON.parse(readFileSync(join(out, 'import.json'), 'utf8'))).toMatchObject({ from: 'hf:local/tiny-distilbert', commit: COMMIT });

    const { texts, logits } = JSON.parse(readFileSync(resolve(SHARED_MODELS, 'tiny-distilbert', 'expected.json'), 'utf8')) as { texts: string[]; logits: number[][] };
    const p = await agnews(env, 'predict', '--run', out, '--text', texts[1], '--backend', 'cpu', '--json');
    expect(p.status, p.stderr).toBe(0);
    const probs = Object.values(last(p.stdout).predictions[0].probs) as number[];
    softmax(logits[1]).forEach((q, k) => expect(Math.abs(probs[k] - q)).toBeLessThan(1e-4));

    const again = await agnews(env, 'import-model', '--from', 'hf:local/tiny-distilbert', '--data', data, '--out', out, '--json');
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toMatch(/^agnews: --out .* already holds a run: .*--force/);
  }, 400_000);

  it('refuses a folder that is no checkpoint, in one line', async () => {
    const r = await agnews({}, 'import-model', '--from', DATA, '--data', DATA, '--out', join(tmpdir(), 'never'), '--json');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^agnews: --from .*: no config\.json there/);
  }, 120_000);
});
