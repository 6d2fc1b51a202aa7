import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA, lastJson } from '../../test/cli-spawn';
import { SHARED_MODELS, startStandInHub, type StandInHub } from '../../test/stand-in-hub';

const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const agnews = (env: Record<string, string>, ...args: string[]) => agnewsAsync(cache, env, 300_000, ...args);
const last = lastJson;
const slice = (train: number, test: number) => agNewsSliceDir('agnews-pretrained-', train, test);

const present = existsSync(DATA) && existsSync(SHARED_MODELS);
if (!present && process.env.CI) throw new Error(`the pretrained CLI tests need ${DATA} and ../shared/models, absent under CI`);
let hub: StandInHub;
beforeAll(async () => {
  if (present) hub = await startStandInHub();
});
afterAll(() => hub?.close());

describe.skipIf(!present)(`agnews train on the pretrained tier${present ? '' : ' (skipped: ../shared absent)'}`, () => {
  it('trains configs/tiny-bert.json unedited, and predict reads the run', async () => {
    const data = slice(400, 40);
    const out = join(mkdtempSync(join(tmpdir(), 'agnews-run-')), 'tb');
    const t = await agnews({}, 'train', '--config', 'configs/tiny-bert.json', '--data', data, '--out', out, '--backend', 'cpu', '--json');
    expect(t.status, t.stderr).toBe(0);
    const record = last(t.stdout);
    expect(record).toMatchObject({ model: 'pretrained', family: 'pretrained', backend: 'cpu', epochs: 3, data: { train: 360, validation: 40 } });
    expect(Number.isFinite(record.validation.loss)).toBe(true);
    const p = await agnews({}, 'predict', '--run', out, '--text', 'Stocks slide as oil climbs', '--backend', 'cpu', '--json');
    expect(p.status, p.stderr).toBe(0);
    const probs = Object.values(last(p.stdout).predictions[0].probs) as number[];
    expect(probs).toHaveLength(4);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  }, 600_000);

  it('fine-tunes a Hub base with LoRA: the run stores adapters and references, not the base', async () => {
    const data = slice(400, 40);
    const dir = mkdtempSync(join(tmpdir(), 'agnews-run-'));
    const config = join(dir, 'tiny-bert-lora.json');
    const out = join(dir, 'lora');
    writeFileSync(
      config,
      JSON.stringify({
        name: 'tiny-bert-lora',
        model: { type: 'pretrained', base: 'hf:local/tiny-bert', method: 'lora', lora: { r: 4, alpha: 8 }, maxLength: 32, train: { lr: 1e-3, batchSize: 16, epochs: 1 } },
      }),
    );
    const t = await agnews({ HF_ENDPOINT: hub.url }, 'train', '--config', config, '--data', data, '--out', out, '--backend', 'cpu', '--json');
    expect(t.status, t.stderr).toBe(0);
    const record = last(t.stdout);
    const base = readFileSync(join(SHARED_MODELS, 'tiny-bert', 'model.safetensors')).length;
    // Adapters and the head only: a small fraction of the 4 MB base.
    expect(record.modelBytes).toBeLessThan(base / 10);
    const p = await agnews({ HF_ENDPOINT: hub.url }, 'predict', '--run', out, '--text', 'The striker scored twice', '--backend', 'cpu', '--json');
    expect(p.status, p.stderr).toBe(0);
    expect(Object.keys(last(p.stdout).predictions[0].probs)).toEqual(['World', 'Sports', 'Business', 'Sci/Tech']);
  }, 600_000);
});
