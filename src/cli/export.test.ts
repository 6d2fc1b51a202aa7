import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA, lastJson } from '../../test/cli-spawn';
import { SHARED_MODELS } from '../../test/stand-in-hub';

const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const agnews = (...args: string[]) => agnewsAsync(cache, {}, 200_000, ...args);
const fresh = (name: string) => join(mkdtempSync(join(tmpdir(), 'agnews-export-')), name);
const present = existsSync(DATA) && existsSync(SHARED_MODELS);
const texts = ['Stocks slide as oil prices climb to a record', 'Federer wins the final in straight sets'];

async function probs(run: string): Promise<number[][]> {
  const args = texts.flatMap((t) => ['--text', t]);
  const r = await agnews('predict', '--run', run, ...args, '--backend', 'cpu', '--json');
  expect(r.status, r.stderr).toBe(0);
  return (lastJson(r.stdout) as { predictions: { probs: Record<string, number> }[] }).predictions.map((p) => Object.values(p.probs));
}

describe.skipIf(!present)('agnews export', { timeout: 400_000 }, () => {
  it('writes a pretrained run as a Hugging Face folder that import-model reads back with the same probabilities', async () => {
    const data = agNewsSliceDir('agnews-export-', 200, 24);
    const run = fresh('bert');
    const r = await agnews('import-model', '--from', resolve(SHARED_MODELS, 'tiny-bert'), '--data', data, '--out', run, '--max-length', '64', '--backend', 'cpu', '--json');
    expect(r.status, r.stderr).toBe(0);

    const out = fresh('hf');
    const e = await agnews('export', '--run', run, '--format', 'hf', '--out', out, '--backend', 'cpu', '--json');
    expect(e.status, e.stderr).toBe(0);
    expect(lastJson(e.stdout)).toMatchObject({ format: 'hf', out });
    expect(readdirSync(out).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ architectures: ['BertForSequenceClassification'], id2label: { 0: 'World' } });

    const again = fresh('again');
    const i = await agnews('import-model', '--from', out, '--data', data, '--out', again, '--max-length', '64', '--backend', 'cpu', '--json');
    expect(i.status, i.stderr).toBe(0);
    const [a, b] = [await probs(run), await probs(again)];
    a.forEach((row, n) => row.forEach((p, k) => expect(Math.abs(p - b[n][k])).toBeLessThan(1e-5)));

    // A second export into the same folder is refused; a full (non-adapter) run has no PEFT adapter.
    const twice = await agnews('export', '--run', run, '--format', 'hf', '--out', out);
    expect(twice.status).not.toBe(0);
    expect(twice.stderr).toMatch(/--out .* is not empty/);
    const peftOut = fresh('peft');
    const peft = await agnews('export', '--run', run, '--format', 'peft', '--out', peftOut);
    expect(peft.stderr).toMatch(/--format peft needs a LoRA or IA3 run/);
    expect(existsSync(peftOut)).toBe(false);
  });

  it('tells other families they export as the run bundle, and writes it', async () => {
    const data = agNewsSliceDir('agnews-export-nb-', 400, 24);
    const run = fresh('nb');
    const t = await agnews('train', '--config', 'configs/quickstart-nb.json', '--data', data, '--out', run, '--json');
    expect(t.status, t.stderr).toBe(0);
    const hf = await agnews('export', '--run', run, '--format', 'hf', '--out', fresh('hf'));
    expect(hf.status).not.toBe(0);
    expect(hf.stderr).toMatch(/is not a pretrained encoder.*--format bundle/);
    const out = fresh('bundle');
    const b = await agnews('export', '--run', run, '--format', 'bundle', '--out', out, '--json');
    expect(b.status, b.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['run.json', 'result.json', 'config.json']));
    expect(await probs(out)).toEqual(await probs(run));
  });
});
