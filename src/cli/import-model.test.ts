import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA, lastJson } from '../../test/cli-spawn';
import { COMMIT, SHARED_MODELS, startStandInHub, type StandInHub } from '../../test/stand-in-hub';

const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const agnews = (env: Record<string, string>, ...args: string[]) => agnewsAsync(cache, env, 200_000, ...args);
const last = lastJson;
const slice = (train: number, test: number) => agNewsSliceDir('agnews-import-', train, test);

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
