import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA } from '../../../../test/cli-spawn';
import { createNodeLab } from '../node-lab';
import { startServer, type RunningServer } from './server';
import type { ServedModel } from '../../../core/lab/serve-model';

const present = existsSync(DATA);
if (!present && process.env.CI) throw new Error(`the serve tests need ${DATA}, absent under CI`);

const cache = mkdtempSync(join(tmpdir(), 'agnews-serve-cache-'));
process.env.AGNEWS_CACHE = cache;
const root = mkdtempSync(join(tmpdir(), 'agnews-serve-'));
const runDir = join(root, 'nb');
const TEXTS = ['Stocks fell sharply on Wall Street', 'The team won the cup final', 'New chip doubles battery life', 'Rebels seize the capital'];

const settings = { port: 0, host: '127.0.0.1', maxBatch: 64, maxWaitMs: 2, maxTexts: 8, maxBody: 4096 };
const post = (server: RunningServer, body: string, path = '/v1/classify') => fetch(server.url + path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe.skipIf(!present)('prediction server', () => {
  beforeAll(async () => {
    const data = agNewsSliceDir('agnews-serve-data-', 1200, 100);
    const config = join(root, 'nb.json');
    writeFileSync(config, JSON.stringify({ name: 'nb', model: { type: 'tfidf-nb' } }));
    const r = await agnewsAsync(cache, {}, 200_000, 'train', '--config', config, '--data', data, '--out', runDir, '--json');
    expect(r.status, r.stderr).toBe(0);
  }, 240_000);

  let model: ServedModel;
  let server: RunningServer;
  const logged: string[] = [];
  beforeAll(async () => {
    model = await createNodeLab().serve(runDir);
    server = await startServer(model, { ...settings, log: (l) => logged.push(l) });
  });
  afterAll(() => server?.close());

  it('answers labels and probabilities in the classes’ order, equal to the lab’s predict', async () => {
    const res = await post(server, JSON.stringify({ texts: TEXTS }));
    expect(res.status).toBe(200);
    const body = await res.json();
    const ref = await createNodeLab().predict(runDir, TEXTS);
    expect(body.classes).toEqual(ref.classes);
    expect(body.predictions).toHaveLength(TEXTS.length);
    body.predictions.forEach((p: { label: string; probs: number[] }, i: number) => {
      p.probs.forEach((v, k) => expect(v).toBeCloseTo(ref.probs[i][k], 6));
      expect(p.label).toBe(ref.classes[ref.probs[i].indexOf(Math.max(...ref.probs[i]))]);
    });
    const health = await (await fetch(server.url + '/healthz')).json();
    expect(health).toMatchObject({ status: 'ok', model: 'tfidf-nb', classes: ref.classes });
  });

  it.each([
    ['bad JSON', '{"texts": [', 400, /not valid JSON/],
    ['not an object', '["a"]', 400, /must be a JSON object/],
    ['missing texts', '{"text": "a"}', 400, /missing field "texts"/],
    ['texts not an array', '{"texts": "a"}', 400, /must be an array of strings, got string/],
    ['empty texts', '{"texts": []}', 400, /is empty/],
    ['a text that is not a string', '{"texts": ["a", "b", 3]}', 400, /texts\[2\] is number, not a string/],
    ['a null text', '{"texts": [null]}', 400, /texts\[0\] is null/],
    ['too many texts', JSON.stringify({ texts: Array(9).fill('a') }), 413, /holds 9 texts; at most 8/],
    ['a body over the limit', JSON.stringify({ texts: ['x'.repeat(5000)] }), 413, /limit is 4096/],
  ])('refuses %s with a JSON %i naming the problem', async (_, body, status, message) => {
    const res = await post(server, body as string);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect((await res.json()).error.message).toMatch(message as RegExp);
  });

  it('refuses a wrong method (405 with Allow) and an unknown path (404)', async () => {
    const get = await fetch(server.url + '/v1/classify');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await get.json()).error.message).toMatch(/takes POST, not GET/);
    const missing = await post(server, '{}', '/v2/nothing');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toMatch(/no such path \/v2\/nothing/);
  });

  it('puts concurrent requests in one model call, as /metrics shows', async () => {
    // close() releases the model it serves, so this server gets its own.
    const slow = await startServer(await createNodeLab().serve(runDir), { ...settings, maxWaitMs: 200, maxBatch: 64 });
    try {
      const all = await Promise.all(TEXTS.map((t) => post(slow, JSON.stringify({ texts: [t, t] }))));
      expect(all.map((r) => r.status)).toEqual(TEXTS.map(() => 200));
      const text = await (await fetch(slow.url + '/metrics')).text();
      expect(text).toContain('agnews_batch_requests_count 1');
      expect(text).toContain(`agnews_batch_texts_sum ${TEXTS.length * 2}`);
      expect(text).toContain(`agnews_requests_total{path="/v1/classify",status="200"} ${TEXTS.length}`);
      expect(text).toMatch(/^agnews_request_duration_seconds_bucket\{le="\+Inf"\} 4$/m);
    } finally {
      await slow.close();
    }
  });

  it('holds up under a bounded loopback load: 500 requests, 16 at a time, all answered like predict', async () => {
    const texts = Array.from({ length: 500 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${i}`);
    const ref = await createNodeLab().predict(runDir, texts);
    const labels: string[] = new Array(texts.length);
    let next = 0;
    const client = async () => {
      for (let i = next++; i < texts.length; i = next++) {
        const res = await post(server, JSON.stringify({ texts: [texts[i]] }));
        expect(res.status).toBe(200);
        const p = (await res.json()).predictions[0];
        p.probs.forEach((v: number, k: number) => expect(v).toBeCloseTo(ref.probs[i][k], 6));
        labels[i] = p.label;
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    expect(labels.every(Boolean)).toBe(true);
    const metrics = await (await fetch(server.url + '/metrics')).text();
    // Sixteen clients at once must have shared model calls.
    const calls = Number(/^agnews_batch_requests_count (\d+)$/m.exec(metrics)![1]);
    expect(calls).toBeLessThan(500);
  }, 120_000);

  it('finishes a request in flight when closed, then refuses connections', async () => {
    const own = await createNodeLab().serve(runDir);
    const s = await startServer(own, { ...settings, maxWaitMs: 400 });
    const pending = post(s, JSON.stringify({ texts: TEXTS }));
    await new Promise((r) => setTimeout(r, 100));
    const closed = s.close();
    const res = await pending;
    expect(res.status).toBe(200);
    expect((await res.json()).predictions).toHaveLength(TEXTS.length);
    await closed;
    await expect(fetch(s.url + '/healthz')).rejects.toThrow();
  });

  it('answers an internal failure with a plain 500 and keeps the details in the log', async () => {
    const own = await createNodeLab().serve(runDir);
    const lines: string[] = [];
    const s = await startServer(own, { ...settings, log: (l) => lines.push(l) });
    try {
      own.close(); // the model is gone while the server still listens
      const res = await post(s, JSON.stringify({ texts: ['a'] }));
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.message).toBe('internal error while classifying; the server log has the details');
      expect(text).not.toMatch(/at |\.ts|no longer being served/);
      expect(lines.join('\n')).toMatch(/no longer being served/);
    } finally {
      await s.close();
    }
  });
});
