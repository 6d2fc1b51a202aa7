/**
 * The prediction server under load: `agnews serve` in its own process, driven by autocannon at
 * 1, 16 and 64 concurrent clients (one AG News test text per request), beside the same model
 * called in-process through `lab.serve` (texts/s one text per call and 64 per call). Lines give
 * requests/s, texts/s and p50/p95/p99 latency; the linear models' goal line checks ≥5,000
 * texts/s with p95 < 20 ms at 64 clients.
 *   npm run bench -- serve [--runs=DIR] [--models=tfidf-svm,fasttext-cpu,tiny-bert] [--seconds=5] [--train=4000]
 * Runs missing under --runs (svm/, ft/, tiny-bert/) are trained there first on a slice of train.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createNodeLab } from '../src/platform/node/node-lab';
import { DATA } from './shared';

interface AutocannonResult {
  requests: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface Instance {
  on(event: 'response', f: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: object, done: (err: unknown, r: AutocannonResult) => void) => Instance;
// autocannon ships no types; only the call and the figures above are used.
const autocannonCb = ((await import('autocannon' as string)) as { default: Autocannon }).default;

/** autocannon's own percentiles skip p95, so every response time is kept and ranked here. */
function load(opts: object): Promise<AutocannonResult & { ms: number[] }> {
  return new Promise((resolve, reject) => {
    const ms: number[] = [];
    const inst = autocannonCb(opts, (err, r) => (err ? reject(err as Error) : resolve({ ...r, ms: ms.sort((a, b) => a - b) })));
    inst.on('response', (_c, _s, _b, t) => ms.push(t));
  });
}
const pct = (sorted: number[], q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN, 2);

const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const line = (o: object) => console.log(JSON.stringify({ bench: 'serve', ...o }));

const root = arg('runs', mkdtempSync(join(tmpdir(), 'agnews-bench-serve-')));
const models = arg('models', 'tfidf-svm,fasttext-cpu,tiny-bert').split(',');
const seconds = Number(arg('seconds', '5'));
const trainRows = Number(arg('train', '4000'));
const cache = join(root, 'cache');
mkdirSync(cache, { recursive: true });
const env = { ...process.env, AGNEWS_CACHE: cache };
process.env.AGNEWS_CACHE = cache;

const CONFIGS: Record<string, { dir: string; config: object; backend: string }> = {
  'tfidf-svm': { dir: 'svm', config: JSON.parse(readFileSync('configs/tfidf-svm.json', 'utf8')), backend: 'cpu' },
  // fasttext-cpu's recipe at a size that a few thousand rows do not overfit (the guard refuses 1M buckets there).
  'fasttext-cpu': {
    dir: 'ft',
    config: {
      ...JSON.parse(readFileSync('configs/fasttext-cpu.json', 'utf8')),
      model: { ...JSON.parse(readFileSync('configs/fasttext-cpu.json', 'utf8')).model, dim: 10, buckets: 20000 },
    },
    backend: 'cpu',
  },
  // The tiny BERT fixture, one epoch on a short slice: a real pretrained-tier run without a long wait.
  'tiny-bert': {
    dir: 'tiny-bert',
    config: (() => {
      const c = JSON.parse(readFileSync('configs/tiny-bert.json', 'utf8'));
      return { ...c, model: { ...c.model, maxLength: 48, train: { ...c.model.train, epochs: 1 } } };
    })(),
    backend: 'wasm',
  },
};

const testTexts = readFileSync(join(DATA, 'test.csv'), 'utf8')
  .split('\n')
  .slice(0, 256)
  .map((l) =>
    l
      .replace(/^"\d+","/, '')
      .replace(/"$/, '')
      .replace('","', ' '),
  );

function slice(rows: number): string {
  const dir = join(root, `data-${rows}`);
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  const head = (f: string, n: number) => readFileSync(join(DATA, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
  writeFileSync(join(dir, 'train.csv'), head('train.csv', rows));
  writeFileSync(join(dir, 'test.csv'), head('test.csv', 200));
  writeFileSync(join(dir, 'classes.txt'), readFileSync(join(DATA, 'classes.txt')));
  return dir;
}

function agnews(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/agnews.js', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c) => (err += c));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`agnews ${args[0]} failed: ${err.trim().split('\n').at(-1)}`))));
  });
}

async function ensureRun(name: string): Promise<string> {
  const c = CONFIGS[name];
  const dir = join(root, c.dir);
  if (existsSync(join(dir, 'result.json'))) return dir;
  const config = join(root, `${c.dir}.json`);
  writeFileSync(config, JSON.stringify(c.config));
  const rows = name === 'tiny-bert' ? Math.min(trainRows, 1000) : trainRows;
  await agnews(['train', '--config', config, '--data', slice(rows), '--out', dir, '--backend', c.backend, '--force']);
  return dir;
}

async function serve(dir: string, backend: string) {
  const p = spawn(process.execPath, ['bin/agnews.js', 'serve', '--run', dir, '--port', '0', '--json', '--backend', backend], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: p.stdout! }).once('line', resolve);
    p.once('exit', (code) => reject(new Error(`agnews serve exited (${code}) before listening`)));
  });
  const stopped = new Promise<number | null>((resolve) => p.once('exit', resolve));
  return { url: (JSON.parse(first) as { url: string }).url, stop: () => (p.kill('SIGTERM'), stopped) };
}

async function inProcess(name: string, dir: string, perCall: number) {
  const model = await createNodeLab({ backend: CONFIGS[name].backend as 'cpu' }).serve(dir);
  try {
    await model.predict(testTexts.slice(0, perCall)); // warm-up
    let texts = 0;
    const start = performance.now();
    for (let i = 0; performance.now() - start < seconds * 1000; i = (i + perCall) % (testTexts.length - perCall)) {
      await model.predict(testTexts.slice(i, i + perCall));
      texts += perCall;
    }
    return texts / ((performance.now() - start) / 1000);
  } finally {
    model.close();
  }
}

for (const name of models) {
  const dir = await ensureRun(name);
  for (const perCall of [1, 64]) line({ model: name, peer: 'in-process', textsPerCall: perCall, textsPerSecond: round(await inProcess(name, dir, perCall)) });
  const server = await serve(dir, CONFIGS[name].backend);
  const requests = testTexts
    .slice(0, 64)
    .map((t) => ({ method: 'POST', path: '/v1/classify', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts: [t] }) }));
  // Warm-up: the first calls compile kernels; none may still be queued when the timed runs start.
  for (const r of requests.slice(0, 3)) await fetch(server.url + r.path, r);
  await load({ url: server.url, connections: 4, duration: 1, requests });
  await fetch(server.url + '/healthz');
  for (const connections of [1, 16, 64]) {
    const r = await load({ url: server.url, connections, duration: seconds, requests });
    const fig = {
      model: name,
      peer: 'http',
      clients: connections,
      requestsPerSecond: round(r.requests.average),
      textsPerSecond: round(r.requests.average),
      p50Ms: pct(r.ms, 0.5),
      p95Ms: pct(r.ms, 0.95),
      p99Ms: pct(r.ms, 0.99),
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
    };
    line(fig);
    if (connections === 64 && name !== 'tiny-bert')
      line({
        model: name,
        goal: '>=5000 texts/s and p95 < 20 ms at 64 clients',
        met: fig.textsPerSecond >= 5000 && fig.p95Ms < 20,
        textsPerSecond: fig.textsPerSecond,
        p95Ms: fig.p95Ms,
      });
  }
  const code = await server.stop();
  line({ model: name, sigtermExit: code });
}
