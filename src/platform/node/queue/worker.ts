/**
 * A queue worker: BullMQ's Worker running each job as the lab's own call, in this process, one
 * job at a time (the lab owns one tensor backend, and the guard's phase is per process; the
 * CLI's `--concurrency N` runs N such processes). BullMQ's lock on the active job,
 * renewed while it runs, is what hands a job to another worker when this one dies: its lock
 * lapses, the job is found stalled and delivered again.
 *
 * A train job writes the same run folder a local `agnews train --out` would. Delivered again, it
 * looks at that folder first: a finished run is returned as it is (no second folder, no second
 * training), a run with a checkpoint is continued with the lab's `resume`, anything else starts
 * over in place. A failure that retrying cannot fix (bad config, refused by the guard, different
 * data) fails the job at once with its message; others are retried up to the job's attempts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { BackendChoice, ResultRecord } from '../../../core/experiment/result';
import type { LabEvent } from '../../../core/lab/api';
import type { EnsembleMethod } from '../../../core/lab/ensemble-api';
import type { Lab } from '../../../core/lab/lab';
import { withPhase } from '../../../core/guard/phase';
import { ConfigError, GuardError, InputError, NotFoundError } from '../../../core/util/errors';
import { createNodeLab } from '../node-lab';
import { DatasetCheck } from './dataset-check';
import { QUEUE_NAME, redisClient } from './connection';
import type { CombineJob, DistillJob, QueueJob, SummaryJob, TrainJob } from './job';
import { writeSweepSummary, type SweepSummary } from './summary';

export interface WorkerOptions {
  queue: string;
  backend: BackendChoice;
  /** How long a job's lock lasts without renewal: the time before a dead worker's job moves on. */
  lockMs?: number;
  /** One line per job event (taken, resumed, done, failed). */
  log?: (line: string) => void;
}

/** What a train job returns: its run folder and result record, read by the sweep and the summary. */
export interface TrainOutcome {
  run: string;
  /** How this delivery got the result: trained, resumed from a checkpoint, or found finished. */
  how: 'trained' | 'resumed' | 'found';
  result: ResultRecord;
}

/** How often a job's progress is sent to Redis at most. */
const PROGRESS_MS = 500;

const unrecoverable = (e: unknown) => e instanceof ConfigError || e instanceof GuardError || e instanceof InputError || e instanceof NotFoundError;

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Whether a run folder holds a finished run. */
const finished = (dir: string) => readJson<{ status?: string }>(join(dir, 'run.json'))?.status === 'done' && existsSync(join(dir, 'result.json'));

/** A sendable progress record from the lab's events, throttled. */
function progressSender(job: Job) {
  let last = 0;
  return (e: LabEvent) => {
    const now = Date.now();
    if (e.type !== 'phase' && e.type !== 'step') return;
    if (now - last < PROGRESS_MS) return;
    last = now;
    const p =
      e.type === 'phase'
        ? { phase: e.phase, done: e.done, total: e.total }
        : { phase: 'train', step: e.step, totalSteps: e.totalSteps, epoch: e.epoch, totalEpochs: e.totalEpochs, loss: e.loss };
    void job.updateProgress(p).catch(() => undefined);
  };
}

async function trainJob(job: Job<QueueJob>, data: TrainJob, lab: Lab, datasets: DatasetCheck): Promise<TrainOutcome> {
  const meta = readJson<{ status?: string }>(join(data.out, 'run.json'));
  if (finished(data.out)) return { run: data.out, how: 'found', result: readJson<ResultRecord>(join(data.out, 'result.json'))! };
  const dataset = await datasets.verified(lab, data.data);
  const onEvent = progressSender(job);
  const checkpoint = ['latest', 'model'].some((slot) => existsSync(join(data.out, 'checkpoints', `${slot}.json`)));
  // A sweep chooses settings, so its runs are scored in the guard's search phase: no test split.
  if (meta && checkpoint) return { run: data.out, how: 'resumed', result: await withPhase('search', () => lab.resume(data.out, onEvent)) };
  // No checkpoint: whatever an earlier delivery left there is replaced by a fresh start.
  const req = { datasetId: dataset.id, config: data.config, runId: data.out, source: data.data.path, overwrite: meta !== undefined };
  return { run: data.out, how: 'trained', result: await withPhase('search', () => lab.train(req, onEvent)) };
}

/** A flow parent's children: the finished ones with what they returned, and the ones that failed for good. */
async function children(job: Job<QueueJob>): Promise<{ done: Map<string, TrainOutcome | CombineOutcome>; failed: { jobId: string; reason: string }[] }> {
  // Children keys are "PREFIX:QUEUE:ID"; the job id is the last part.
  const idOf = (key: string) => key.split(':').at(-1)!;
  const values = await job.getChildrenValues<TrainOutcome | CombineOutcome>();
  const failures = await job.getIgnoredChildrenFailures();
  return {
    done: new Map(Object.entries(values).map(([k, v]) => [idOf(k), v])),
    failed: Object.entries(failures).map(([k, reason]) => ({ jobId: idOf(k), reason })),
  };
}

/** What a combine job returns: its own run, and its members' outcomes (the summary, its parent, sees only its direct children). */
export interface CombineOutcome extends TrainOutcome {
  members: { done: string[]; failed: { jobId: string; reason: string }[] };
}

async function combineJob(job: Job<QueueJob>, data: CombineJob, lab: Lab, datasets: DatasetCheck): Promise<CombineOutcome> {
  const { done, failed } = await children(job);
  const members = { done: [...done.keys()], failed };
  const meta = readJson<{ status?: string }>(join(data.out, 'run.json'));
  if (finished(data.out)) return { run: data.out, how: 'found', result: readJson<ResultRecord>(join(data.out, 'result.json'))!, members };
  // Members in sweep order, those that finished.
  const runs = Object.entries(data.members)
    .filter(([id]) => done.has(id))
    .map(([, run]) => run);
  if (runs.length < 2) throw new InputError(`The ${data.how.kind} needs at least two finished members; ${runs.length} finished (${failed.length} failed)`);
  const dataset = await datasets.verified(lab, data.data);
  const onEvent = progressSender(job);
  const common = { datasetId: dataset.id, members: runs, runId: data.out, overwrite: meta !== undefined };
  const result = await withPhase('search', () =>
    data.how.kind === 'ensemble' ? lab.ensemble({ ...common, method: (data.how as { method: EnsembleMethod }).method }, onEvent) : lab.cascade(common, onEvent),
  );
  return { run: data.out, how: 'trained', result, members };
}

/** The student of the sweep's best finished candidate; a redelivery resumes it from its checkpoint like a train job. */
async function distillJob(job: Job<QueueJob>, data: DistillJob, lab: Lab, datasets: DatasetCheck): Promise<CombineOutcome> {
  const { done, failed } = await children(job);
  const members = { done: [...done.keys()], failed: [...failed, ...[...done.values()].flatMap((v) => ('members' in v ? v.members.failed : []))] };
  const meta = readJson<{ status?: string }>(join(data.out, 'run.json'));
  if (finished(data.out)) return { run: data.out, how: 'found', result: readJson<ResultRecord>(join(data.out, 'result.json'))!, members };
  const teacher = Object.entries(data.candidates)
    .filter(([id]) => done.has(id))
    .map(([id, run]) => ({ run, accuracy: done.get(id)!.result.validation.accuracy }))
    .sort((a, b) => b.accuracy - a.accuracy)[0];
  if (!teacher) throw new InputError(`The distillation has no finished teacher: ${failed.length} candidate(s) failed`);
  const dataset = await datasets.verified(lab, data.data);
  const onEvent = progressSender(job);
  const checkpoint = ['latest', 'model'].some((slot) => existsSync(join(data.out, 'checkpoints', `${slot}.json`)));
  if (meta && checkpoint) return { run: data.out, how: 'resumed', result: await withPhase('search', () => lab.resume(data.out, onEvent)), members };
  const req = {
    datasetId: dataset.id,
    teacher: teacher.run,
    config: data.config,
    alpha: data.alpha,
    temperature: data.temperature,
    runId: data.out,
    source: data.data.path,
    overwrite: meta !== undefined,
  };
  return { run: data.out, how: 'trained', result: await withPhase('search', () => lab.distill(req, onEvent)), members };
}

async function summaryJob(job: Job<QueueJob>, data: SummaryJob, lab: Lab): Promise<SweepSummary> {
  const { done, failed } = await children(job);
  // A combine child reports its members' failures; its members' runs are read from their folders,
  // which also covers members whose combine job itself failed.
  const reported = [...failed, ...[...done.values()].flatMap((v) => ('members' in v ? v.members.failed : []))];
  const doneIds = Object.keys(data.runs).filter((id) => finished(data.runs[id].run));
  const unaccounted = Object.keys(data.runs)
    .filter((id) => !doneIds.includes(id) && !reported.some((f) => f.jobId === id))
    .map((jobId) => ({ jobId, reason: 'did not finish' }));
  return writeSweepSummary(lab, data, doneIds, [...reported, ...unaccounted]);
}

export interface RunningWorker {
  worker: Worker<QueueJob>;
  /** Stops taking jobs and waits for the active one; with `cancel`, cancels it first (its job goes back to the queue, to be resumed). */
  close(cancel?: boolean): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? (() => undefined);
  const lab = createNodeLab({ backend: opts.backend });
  const datasets = new DatasetCheck();
  const processor = async (job: Job<QueueJob>) => {
    const what = job.data.kind === 'summary' ? `summary of ${job.data.out}` : job.data.out;
    log(`job ${job.id} (${what}): started, attempt ${job.attemptsMade + 1}`);
    try {
      const d = job.data;
      const out =
        d.kind === 'train'
          ? await trainJob(job, d, lab, datasets)
          : d.kind === 'combine'
            ? await combineJob(job, d, lab, datasets)
            : d.kind === 'distill'
              ? await distillJob(job, d, lab, datasets)
              : await summaryJob(job, d, lab);
      log(`job ${job.id}: done${'how' in out ? ` (${out.how})` : ''}`);
      return out;
    } catch (e) {
      log(`job ${job.id}: failed: ${(e as Error).message}`);
      if (unrecoverable(e)) throw new UnrecoverableError((e as Error).message);
      throw e;
    }
  };
  const lockDuration = opts.lockMs ?? 30_000;
  const redis = redisClient(opts.queue);
  const worker = new Worker<QueueJob>(QUEUE_NAME, processor, {
    connection: redis,
    concurrency: 1,
    lockDuration,
    stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
    // A job whose worker died twice is failed rather than handed round forever.
    maxStalledCount: 2,
    name: `${hostname()}:${process.pid}`,
    autorun: false,
  });
  // Redis errors are reported by the calls that fail; this keeps an unhandled 'error' event from ending the process.
  worker.on('error', (e) => log(`worker: ${e.message}`));
  await worker.waitUntilReady();
  void worker.run();
  let closing: Promise<void> | undefined;
  return {
    worker,
    async close(cancel = false) {
      if (cancel) await lab.cancel();
      closing ??= worker.close().then(async () => void (await redis.quit()));
      return closing;
    },
  };
}
