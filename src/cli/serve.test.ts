import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA } from '../../test/cli-spawn';
import { createNodeLab } from '../platform/node/node-lab';

const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
process.env.AGNEWS_CACHE = cache;
const agnews = (...args: string[]) => agnewsAsync(cache, {}, 300_000, ...args);
const present = existsSync(DATA);
if (!present && process.env.CI) throw new Error(`the serve CLI tests need ${DATA}, absent under CI`);

const MEMBERS = {
  ft: { type: 'fasttext', tokenizer: 'fasttext', dim: 16, buckets: 20000, order: 'file', train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 5 } },
  nb: { type: 'tfidf-nb' },
};

describe.skipIf(!present)('agnews serve', () => {
  it('serves a cascade (stage per text), refuses bad input, and on SIGTERM finishes the request in flight and exits 0', async () => {
    const data = agNewsSliceDir('agnews-serve-', 1200, 100);
    const root = mkdtempSync(join(tmpdir(), 'agnews-serve-runs-'));
    const dir = (name: string) => join(root, name);
    for (const [name, model] of Object.entries(MEMBERS)) {
      const config = join(root, `${name}.json`);
      writeFileSync(config, JSON.stringify({ name, model }));
      const r = await agnews('train', '--config', config, '--data', data, '--out', dir(name), '--json');
      expect(r.status, r.stderr).toBe(0);
    }
    const casc = await agnews('cascade', '--runs', dir('ft'), dir('nb'), '--max-escalation', '0.5', '--out', dir('casc'), '--json');
    expect(casc.status, casc.stderr).toBe(0);

    const missing = await agnews('serve', '--run', dir('nope'));
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(`agnews: --run ${dir('nope')}: no such run folder`);
    const badPort = await agnews('serve', '--run', dir('casc'), '--port', '70000');
    expect(badPort.status).toBe(1);
    expect(badPort.stderr).toMatch(/--port must be from 0 to 65535, got 70000/);

    // A long batching wait keeps a request in flight while SIGTERM arrives.
    const p = spawn(process.execPath, ['bin/agnews.js', 'serve', '--run', dir('casc'), '--port', '0', '--max-wait-ms', '1500', '--json'], {
      env: { ...process.env, AGNEWS_CACHE: cache },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => p.once('exit', resolve));
    const listening = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: p.stdout }).once('line', resolve)));
    expect(listening).toMatchObject({ model: 'cascade', classes: ['World', 'Sports', 'Business', 'Sci/Tech'], maxWaitMs: 1500 });
    const texts = ['Stocks fell sharply on Wall Street', 'The team won the cup final', 'New chip doubles battery life'];
    const started = Date.now();
    const pending = fetch(listening.url + '/v1/classify', { method: 'POST', body: JSON.stringify({ texts }) });
    await new Promise((r) => setTimeout(r, 300));
    p.kill('SIGTERM');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const body = await res.json();
    expect(body.stages).toEqual([dir('ft'), dir('nb')].map((d) => expect.stringContaining(d.split('/').at(-1)!)));
    expect(body.predictions).toHaveLength(texts.length);
    // Each text's probabilities are those of the member its stage names.
    const lab = createNodeLab();
    const own = [await lab.predict(dir('ft'), texts), await lab.predict(dir('nb'), texts)];
    body.predictions.forEach((pr: { stage: number; probs: number[] }, i: number) => {
      expect([0, 1]).toContain(pr.stage);
      pr.probs.forEach((v, k) => expect(v).toBeCloseTo(own[pr.stage].probs[i][k], 5));
    });
    expect(await exited).toBe(0);
  }, 600_000);
});
