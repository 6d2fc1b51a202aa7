/**
 * `agnews worker`: takes jobs from the queue until stopped. `--concurrency N` runs N worker
 * processes (each one job at a time: one tensor backend, one guard phase per process). SIGTERM or
 * Ctrl-C stops taking jobs and lets the running one finish; a second one cancels it, and its job
 * goes back to the queue to be resumed from its checkpoint by any worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { redisOptions } from '../platform/node/queue/connection';
import { startWorker } from '../platform/node/queue/worker';

export interface WorkerCommandOptions {
  queue: string;
  concurrency?: number;
  backend: BackendChoice;
  /** Seconds a job's lock lasts unrenewed: how soon a dead worker's job is handed on. */
  lockSeconds?: number;
}

const log = (line: string) => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);

/** Resolves on the first SIGTERM/SIGINT; calls `again` on the next ones. */
function stopSignal(again: () => void): Promise<void> {
  let count = 0;
  return new Promise((resolveStop) => {
    const handler = () => {
      if (++count === 1) resolveStop();
      else again();
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
}

export async function workerCommand(opts: WorkerCommandOptions): Promise<void> {
  redisOptions(opts.queue);
  const n = opts.concurrency ?? 1;
  if (!(Number.isInteger(n) && n >= 1)) throw new InputError(`--concurrency must be a whole number >= 1, got ${opts.concurrency}`);
  if (opts.lockSeconds !== undefined && !(opts.lockSeconds >= 2)) throw new InputError(`--lock-seconds must be at least 2, got ${opts.lockSeconds}`);
  if (n > 1) return fanOut(n);
  const running = await startWorker({ queue: opts.queue, backend: opts.backend, lockMs: opts.lockSeconds !== undefined ? opts.lockSeconds * 1000 : undefined, log });
  log(`worker ${running.worker.opts.name} on ${opts.queue}: waiting for jobs`);
  await stopSignal(() => {
    log('cancelling the running job; it goes back to the queue');
    void running.close(true);
  });
  log('stopping: no new jobs; the running one finishes first (signal again to hand it back)');
  await running.close();
  log('stopped');
}

/** N single-job workers as child processes of this one; each signal is passed on to them all (the first: finish, the second: hand back). */
async function fanOut(n: number): Promise<void> {
  const args = process.argv.slice(1).filter((a, i, all) => a !== '--concurrency' && all[i - 1] !== '--concurrency' && !a.startsWith('--concurrency='));
  const children: ChildProcess[] = Array.from({ length: n }, () => spawn(process.execPath, [...process.execArgv, ...args], { stdio: ['ignore', 'inherit', 'inherit'] }));
  const exits = children.map((c) => new Promise<number>((r) => c.on('exit', (code) => r(code ?? 1))));
  const pass = (signal: NodeJS.Signals) => () => children.forEach((c) => c.kill(signal));
  process.on('SIGTERM', pass('SIGTERM'));
  process.on('SIGINT', pass('SIGTERM'));
  const codes = await Promise.all(exits);
  if (codes.some((c) => c !== 0)) throw new Error(`${codes.filter((c) => c !== 0).length} of ${n} worker processes ended with an error`);
}
