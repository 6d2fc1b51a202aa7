/**
 * Sweeps on a real job engine: Debian's redis-server on a free port, BullMQ workers as separate
 * `agnews worker` processes (each with its own lab store, as on separate machines), the sweep
 * submitted by `agnews sweep`. Covers the flow parent waiting for its children, the ranked
 * summary, a duplicate submission, a bad config failing once, and a worker killed mid-job whose
 * job another worker finishes from the checkpoint with the uninterrupted run's weights.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA } from '../../test/cli-spawn';
import { startRedis, type TestRedis } from '../../test/redis-server';
import { QUEUE_NAME, redisClient } from '../platform/node/queue/connection';
import { queueStatus } from '../platform/node/queue/status';
import type { SweepSummary } from '../platform/node/queue/summary';

const present = existsSync(DATA);
if (!present && process.env.CI) throw new Error(`the sweep tests need ${DATA} (the shared folder beside the repo), which is absent under CI`);
if (!present) console.warn(`Skipping the sweep tests: ${DATA} is absent (it lives in the shared folder beside the repo).`);

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

interface WorkerProc {
  proc: ChildProcess;
  log: () => string;
  exit: Promise<number | null>;
}

/** `agnews worker` as its own process with its own lab store (as on another machine). */
function startWorker(url: string, ...extra: string[]): WorkerProc {
  const proc = spawn(process.execPath, ['bin/agnews.js', 'worker', '--queue', url, ...extra], {
    env: { ...process.env, AGNEWS_CACHE: tmp('agnews-worker-cache-') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  proc.stdout!.on('data', (d) => (text += d));
  proc.stderr!.on('data', (d) => (text += d));
  logs.push(() => text);
  return { proc, log: () => text, exit: new Promise((r) => proc.on('exit', (code) => r(code))) };
}

/** Every worker's log so far, for a failure's message. */
const logs: (() => string)[] = [];

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; worker logs:\n${logs.map((l) => l()).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const runFolders = (dir: string) =>
  readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();

describe.skipIf(!present)('agnews sweep and worker on BullMQ + Redis', () => {
  let redis: TestRedis;
  let queue: Queue;
  let client: ReturnType<typeof redisClient>;
  let data: string;
  const cache = tmp('agnews-sweep-cache-');
  const agnews = (...args: string[]) => agnewsAsync(cache, {}, 400_000, ...args);
  const workers: WorkerProc[] = [];
  const worker = (...extra: string[]) => {
    const w = startWorker(redis.url, ...extra);
    workers.push(w);
    return w;
  };
  const connected = (n: number) => until(`${n} workers connected`, 180_000, async () => (await queue.getWorkers()).length === n);

  beforeAll(async () => {
    redis = await startRedis();
    client = redisClient(redis.url);
    queue = new Queue(QUEUE_NAME, { connection: client });
    data = agNewsSliceDir('agnews-sweep-data-', 1351, 50);
  });
  afterAll(async () => {
    for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
    await queue?.close();
    await client?.quit();
    await redis?.stop();
  });

  it('runs a 4-config classical sweep and their ensemble over 2 workers into run folders and a summary; parents wait for their children; a second submission adds nothing', async () => {
    const out = join(tmp('agnews-sweep-'), 'sweep');
    const args = [
      'sweep',
      '--config',
      'configs/quickstart-nb.json',
      '--grid',
      'model.alpha=0.1,0.3,1,3',
      '--data',
      data,
      '--queue',
      redis.url,
      '--out',
      out,
      '--ensemble',
      'soft',
      '--json',
    ];
    const sweep = agnews(...args);
    // No worker yet: the ensemble waits on its four members, the summary on the ensemble.
    const jobs = await until('the sweep to be queued', 180_000, async () => {
      const j = await queue.getJobs(['waiting', 'waiting-children']);
      return j.length === 6 ? j : undefined;
    });
    const parent = jobs.find((j) => j.name === 'summary')!;
    const ensemble = jobs.find((j) => j.name === 'combine')!;
    expect(await parent.getState()).toBe('waiting-children');
    expect(await ensemble.getState()).toBe('waiting-children');
    expect(jobs.filter((j) => j.name === 'train')).toHaveLength(4);
    for (const j of jobs.filter((j) => j.name === 'train')) expect(await j.getState()).toBe('waiting');

    const [a, b] = [worker('--lock-seconds', '10'), worker('--lock-seconds', '10')];
    const s = await sweep;
    expect(s.status, s.stderr).toBe(0);
    const summary = JSON.parse(s.stdout.trim().split('\n').at(-1)!) as SweepSummary;
    const folders = runFolders(out);
    expect(folders).toEqual(['alpha=0.1,seed-1', 'alpha=0.3,seed-1', 'alpha=1,seed-1', 'alpha=3,seed-1', 'ensemble-soft']);
    const members = JSON.parse(readFileSync(join(out, 'ensemble-soft', 'result.json'), 'utf8')).ensemble.members.map((m: { run: string }) => m.run);
    expect(members.sort()).toEqual(folders.slice(0, 4).map((f) => join(out, f)));
    for (const f of folders) expect(JSON.parse(readFileSync(join(out, f, 'run.json'), 'utf8')).status).toBe('done');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(summary);
    expect(summary.phase).toBe('search');
    expect(summary.ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(summary.ranked.map((r) => r.accuracy)).toEqual([...summary.ranked.map((r) => r.accuracy)].sort((x, y) => y - x));
    for (const r of summary.ranked) {
      expect(r.ci95[0]).toBeLessThanOrEqual(r.accuracy);
      expect(r.ci95[1]).toBeGreaterThanOrEqual(r.accuracy);
      expect(JSON.parse(readFileSync(join(r.run, 'result.json'), 'utf8')).validation.accuracy).toBe(r.accuracy);
    }
    expect(summary.pairs).toHaveLength(10);
    expect(summary.failed).toEqual([]);
    // Both worker processes trained, and each parent ran after its children had finished.
    expect(a.log()).toMatch(/done \(trained\)/);
    expect(b.log()).toMatch(/done \(trained\)/);
    const started = async (id: string) => (await queue.getJob(id))!.processedOn!;
    for (const j of jobs.filter((j) => j.name === 'train')) expect((await queue.getJob(j.id!))!.finishedOn!).toBeLessThanOrEqual(await started(ensemble.id!));
    expect((await queue.getJob(ensemble.id!))!.finishedOn!).toBeLessThanOrEqual(await started(parent.id!));

    // What `agnews queue status` shows: the jobs by state and both workers.
    const status = await queueStatus(redis.url);
    expect(status.counts).toMatchObject({ completed: 6, failed: 0, active: 0 });
    expect(status.workers.map((w) => w.name).sort()).toEqual([`${hostname()}:${a.proc.pid}`, `${hostname()}:${b.proc.pid}`].sort());
    expect(status.jobs.filter((j) => j.kind === 'train').map((j) => j.run)).toHaveLength(4);

    // The same sweep again: the same job ids, so nothing is queued, trained or written twice.
    const mtimes = folders.map((f) => statSync(join(out, f, 'result.json')).mtimeMs);
    const again = await agnews(...args);
    expect(again.status, again.stderr).toBe(0);
    expect(runFolders(out)).toEqual(folders);
    expect(folders.map((f) => statSync(join(out, f, 'result.json')).mtimeMs)).toEqual(mtimes);
    expect(await queue.getJobCounts('completed', 'waiting', 'active')).toEqual({ completed: 6, waiting: 0, active: 0 });

    // What no retry can fix (a bad config; data that is not the data submitted) fails at its first attempt, with its message.
    const fingerprint = JSON.parse(readFileSync(join(out, folders[0], 'result.json'), 'utf8')).data.fingerprint;
    const job = (id: string, config: unknown, fp: string) => ({
      kind: 'train',
      sweep: 'x',
      params: {},
      config,
      seed: 1,
      data: { path: data, fingerprint: fp },
      out: join(out, id),
    });
    await queue.add('train', job('bad-config', { name: 'bad', model: { type: 'no-such-model' } }, fingerprint), { jobId: 't-bad-config', attempts: 3 });
    await queue.add('train', job('bad-data', { name: 'nb', model: { type: 'tfidf-nb' } }, 'sha256:0000'), { jobId: 't-bad-data', attempts: 3 });
    for (const [id, reason] of [
      ['t-bad-config', /not a valid experiment config/],
      ['t-bad-data', /fingerprint/],
    ] as const) {
      const failed = await until(`${id} to fail`, 180_000, async () => ((await queue.getJob(id))?.failedReason ? queue.getJob(id) : undefined));
      expect(await failed!.getState()).toBe('failed');
      expect(failed!.attemptsMade).toBe(1);
      expect(failed!.failedReason).toMatch(reason);
    }
    expect(existsSync(join(out, 'bad-data'))).toBe(false);

    // SIGTERM: each worker stops taking jobs and exits cleanly.
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
  }, 480_000);

  it("finishes a SIGKILLed worker's neural job on another worker from its checkpoint, with the uninterrupted run's weights", async () => {
    const dir = tmp('agnews-sweep-kill-');
    const config = join(dir, 'ft.json');
    writeFileSync(
      config,
      JSON.stringify({
        name: 'queue-resume',
        model: { type: 'fasttext', dim: 8, buckets: 256, train: { epochs: 2, batchSize: 16, lr: 0.05, logEvery: 1, checkpointEvery: 4 } },
        guard: { override: { reason: 'a small slice in a queue test' } },
      }),
    );
    const out = join(dir, 'sweep');
    const a = worker('--backend', 'cpu', '--lock-seconds', '5');
    await connected(1);
    const sweep = agnews('sweep', '--config', config, '--data', data, '--queue', redis.url, '--out', out, '--json');
    const run = join(out, 'seed-1');
    // Killed once it has checkpointed past its first epoch's start, mid-training.
    await until(
      'a checkpoint',
      180_000,
      () => existsSync(join(run, 'checkpoints', 'latest.json')) && JSON.parse(readFileSync(join(run, 'checkpoints', 'latest.json'), 'utf8')).step >= 12,
    );
    a.proc.kill('SIGKILL');
    expect(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).status).toBe('running');

    const b = worker('--backend', 'cpu', '--lock-seconds', '5');
    // The same config trained without interruption, alongside.
    const ref = join(dir, 'ref');
    const [s, r] = await Promise.all([sweep, agnews('train', '--config', config, '--data', data, '--out', ref, '--backend', 'cpu', '--json')]);
    expect(s.status, s.stderr).toBe(0);
    expect(r.status, r.stderr).toBe(0);
    expect(b.log()).toMatch(/done \(resumed\)/);
    expect(b.log()).not.toMatch(/done \(trained\)/);
    const weights = (folder: string) => JSON.parse(readFileSync(join(folder, 'checkpoints', 'model.json'), 'utf8')).sha256;
    expect(weights(run)).toEqual(weights(ref));
    expect(runFolders(out)).toEqual(['seed-1']);
    b.proc.kill('SIGTERM');
    expect(await b.exit).toBe(0);
  }, 480_000);
  it("distils a student from the sweep's best run once the sweep finishes (a flow job on its teacher's train jobs)", async () => {
    const out = join(tmp('agnews-sweep-kd-'), 'sweep');
    const w = worker('--lock-seconds', '10');
    // fastText on a 1,351-row slice is refused by the guard's capacity check without a stated reason.
    const student = join(tmp('agnews-sweep-kd-config-'), 'student.json');
    const fastText = JSON.parse(readFileSync('configs/fasttext-cpu.json', 'utf8'));
    writeFileSync(student, JSON.stringify({ ...fastText, guard: { override: { reason: 'a small slice in a queue test' } } }));
    const args = ['sweep', '--config', 'configs/quickstart-nb.json', '--grid', 'model.alpha=0.3,3', '--distill', student, '--alpha', '0.5'];
    const s = await agnews(...args, '--data', data, '--queue', redis.url, '--out', out, '--json');
    expect(s.status, s.stderr).toBe(0);
    const summary = JSON.parse(s.stdout.trim().split('\n').at(-1)!) as SweepSummary;
    expect(summary.failed).toEqual([]);
    expect(runFolders(out)).toEqual(['alpha=0.3,seed-1', 'alpha=3,seed-1', 'distilled', 'distilled-baseline']);
    const accuracy = (f: string) => JSON.parse(readFileSync(join(out, f, 'result.json'), 'utf8')).validation.accuracy as number;
    const best = ['alpha=0.3,seed-1', 'alpha=3,seed-1'].sort((x, y) => accuracy(y) - accuracy(x))[0];
    const record = JSON.parse(readFileSync(join(out, 'distilled', 'result.json'), 'utf8'));
    expect(record.model).toBe('fasttext');
    expect(record.distill).toMatchObject({ teacher: join(out, best), alpha: 0.5, temperature: 2 });
    expect(summary.ranked.map((r) => r.run)).toContain(join(out, 'distilled'));
    const refused = await agnews('sweep', '--config', 'configs/quickstart-nb.json', '--alpha', '0.5', '--data', data, '--queue', redis.url, '--out', join(out, 'x'));
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/--alpha and --temperature set the distillation: they need --distill CONFIG/);
    w.proc.kill('SIGTERM');
    expect(await w.exit).toBe(0);
  }, 480_000);
});
