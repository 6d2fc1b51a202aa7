/**
 * Sweep benchmark: a 12-job classical sweep (TF-IDF + Naive Bayes over 12 smoothing values, a
 * slice of AG News) run one job after another in this process through the lab, then through the
 * queue with 1 and with 2 local `agnews worker` processes on a throwaway Redis. Wall time from
 * submission to the summary; workers are connected before the clock starts (their start-up is a
 * one-off per machine, not per sweep). Prints one JSON line per mode: wall seconds, overhead per
 * job against the in-process run, and speed-up.
 *   npm run bench -- sweep [--train=N]   (N training rows, default 2000)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { parseConfigText } from '../src/core/experiment/config';
import { requestFor } from '../src/platform/node/data-source';
import { createNodeLab } from '../src/platform/node/node-lab';
import { QUEUE_NAME, redisClient } from '../src/platform/node/queue/connection';
import { expandSweep } from '../src/platform/node/queue/expand';
import { runFolderName, sweepId, trainJobId } from '../src/platform/node/queue/job';
import { submitSweep, waitForSweep } from '../src/platform/node/queue/submit';
import { writeSweepSummary } from '../src/platform/node/queue/summary';
import { startRedis } from '../test/redis-server';

const DATA = '../shared/data/ag_news';
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

const root = mkdtempSync(join(tmpdir(), 'agnews-bench-sweep-'));
const data = join(root, 'data');
mkdirSync(data);
const head = (f: string, n: number) => readFileSync(join(DATA, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
const rows = Number(arg('train') ?? 2000);
writeFileSync(join(data, 'train.csv'), head('train.csv', rows));
writeFileSync(join(data, 'test.csv'), head('test.csv', 100));
writeFileSync(join(data, 'classes.txt'), readFileSync(join(DATA, 'classes.txt')));
process.env.AGNEWS_CACHE = join(root, 'cache');

const ALPHAS = [0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3];
const base = parseConfigText(readFileSync('configs/quickstart-nb.json', 'utf8'), 'configs/quickstart-nb.json');
const points = expandSweep({ base, grid: { 'model.alpha': ALPHAS }, seeds: 1 });

const lab = createNodeLab();
const dataset = await lab.importDataset(requestFor(data));
const ref = { path: data, fingerprint: dataset.fingerprint };

/** The same jobs, one after another, in this process: the lab's train call and the same summary. */
async function sequential(out: string): Promise<number> {
  const t0 = performance.now();
  const sweep = sweepId(out);
  const runs: Record<string, { run: string; params: Record<string, unknown>; seed: number }> = {};
  for (const p of points) {
    const run = join(out, runFolderName(p.params, p.seed));
    await lab.train({ datasetId: dataset.id, config: p.config, runId: run, source: data }, () => undefined);
    runs[trainJobId(sweep, p.config, p.seed)] = { run, params: p.params, seed: p.seed };
  }
  await writeSweepSummary(lab, { kind: 'summary', sweep, out, runs }, Object.keys(runs), []);
  return (performance.now() - t0) / 1000;
}

function worker(url: string, n: number): ChildProcess {
  return spawn(process.execPath, ['bin/agnews.js', 'worker', '--queue', url], {
    env: { ...process.env, AGNEWS_CACHE: join(root, `worker-cache-${n}`) },
    stdio: 'ignore',
  });
}

async function queued(url: string, nWorkers: number, out: string): Promise<number> {
  const client = redisClient(url);
  const queue = new Queue(QUEUE_NAME, { connection: client });
  const procs = Array.from({ length: nWorkers }, (_, i) => worker(url, i));
  try {
    while ((await queue.getWorkers()).length < nWorkers) await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    const sub = await submitSweep(url, points, ref, out);
    await waitForSweep(url, sub, () => undefined, 100);
    return (performance.now() - t0) / 1000;
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    await queue.close();
    await client.quit();
  }
}

const redis = await startRedis();
try {
  const seq = await sequential(join(root, 'sequential'));
  console.log(
    JSON.stringify({
      bench: 'sweep',
      mode: 'one process, one after another',
      jobs: points.length,
      trainRows: rows,
      wallSeconds: round(seq),
      perJobSeconds: round(seq / points.length),
    }),
  );
  for (const n of [1, 2]) {
    const wall = await queued(redis.url, n, join(root, `queue-${n}`));
    console.log(
      JSON.stringify({
        bench: 'sweep',
        mode: 'queue',
        workers: n,
        jobs: points.length,
        trainRows: rows,
        wallSeconds: round(wall),
        // Worker-seconds beyond the in-process run, per job: the queue's cost (with 2 workers on 2 cores, also their contention).
        overheadPerJobSeconds: round((wall * n - seq) / points.length),
        speedup: round(seq / wall),
      }),
    );
  }
} finally {
  await redis.stop();
}
process.exit(0);
