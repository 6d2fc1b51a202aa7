/**
 * Submitting a sweep as one BullMQ flow: a train job per (point, seed) as the children, and the
 * summary job as their parent (with an ensemble or cascade of them in between when asked), which BullMQ starts only once every child has finished (a child
 * that failed for good is set aside, not waited on forever). Ids are deterministic, so the same
 * sweep submitted again adds nothing: it names the jobs already there and their run folders.
 */
import { join } from 'node:path';
import { FlowProducer, Queue, type JobState } from 'bullmq';
import { InputError } from '../../../core/util/errors';
import { QUEUE_NAME, redisClient } from './connection';
import type { SweepPoint } from './expand';
import {
  combineJobId,
  distillJobId,
  runFolderName,
  summaryJobId,
  sweepId,
  trainJobId,
  type CombineJob,
  type DataRef,
  type DistillJob,
  type SummaryJob,
  type TrainJob,
} from './job';
import type { SweepSummary } from './summary';

/** Deliveries of one job at most: the first and two retries (each resuming from its checkpoint). */
export const ATTEMPTS = 3;

export interface SubmittedJob {
  id: string;
  run: string;
  params: Record<string, unknown>;
  seed: number;
}

export interface SubmittedSweep {
  sweep: string;
  summaryId: string;
  jobs: SubmittedJob[];
}

/** A student to distil from the sweep's best run (or from its ensemble or cascade). */
export type DistillSpec = Pick<DistillJob, 'config' | 'alpha' | 'temperature'>;

/**
 * The sweep's flow. With `combine`, an ensemble or cascade job sits between the train jobs and
 * the summary: it waits on every train job, and the summary waits on it. With `distill`, a
 * distillation job waits on the combine job (or on the train jobs) and the summary on it.
 */
export async function submitSweep(queue: string, points: SweepPoint[], data: DataRef, outAbs: string, combine?: CombineJob['how'], distill?: DistillSpec): Promise<SubmittedSweep> {
  const sweep = sweepId(outAbs);
  const jobs: (SubmittedJob & { data: TrainJob })[] = points.map((p) => {
    const run = join(outAbs, runFolderName(p.params, p.seed));
    const data_: TrainJob = { kind: 'train', sweep, params: p.params, config: p.config, seed: p.seed, data, out: run };
    return { id: trainJobId(sweep, p.config, p.seed), run, params: p.params, seed: p.seed, data: data_ };
  });
  const seen = new Map<string, SubmittedJob>();
  for (const j of jobs) {
    const twin = seen.get(j.id) ?? [...seen.values()].find((s) => s.run === j.run);
    if (twin) throw new InputError(`the sweep lists ${JSON.stringify(j.params)} with seed ${j.seed} twice (${twin.run}): each (config, seed) runs once`);
    seen.set(j.id, j);
  }
  const retry = { attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 1000 } };
  // A child that fails for good is set aside: its parent still runs, with the others.
  const trainNodes = jobs.map((j) => ({ name: 'train', queueName: QUEUE_NAME, data: j.data, opts: { jobId: j.id, ...retry, ignoreDependencyOnFailure: true } }));
  const combined = combine && combineNode(sweep, combine, jobs, data, outAbs, points[0]?.seed ?? 1);
  const distilled = distill && distillNode(sweep, distill, combined ? [combined] : jobs, data, outAbs, points[0]?.seed ?? 1);
  const all: SubmittedJob[] = [...jobs, ...(combined ? [combined] : []), ...(distilled ? [distilled] : [])];
  const summaryId = summaryJobId(
    sweep,
    all.map((j) => j.id),
  );
  const parent: SummaryJob = { kind: 'summary', sweep, out: outAbs, runs: Object.fromEntries(all.map((j) => [j.id, { run: j.run, params: j.params, seed: j.seed }])) };
  const node = (name: string, j: SubmittedJob & { data: CombineJob | DistillJob }) => ({
    name,
    queueName: QUEUE_NAME,
    data: j.data,
    opts: { jobId: j.id, ...retry, ignoreDependencyOnFailure: true },
  });
  const below = combined ? [{ ...node('combine', combined), children: trainNodes }] : trainNodes;
  const redis = redisClient(queue);
  const flow = new FlowProducer({ connection: redis });
  try {
    await flow.add({
      name: 'summary',
      queueName: QUEUE_NAME,
      data: parent,
      opts: { jobId: summaryId, ...retry },
      children: distilled ? [{ ...node('distill', distilled), children: below }] : below,
    });
  } finally {
    await flow.close();
    await redis.quit();
  }
  return { sweep, summaryId, jobs: all.map((j) => ({ id: j.id, run: j.run, params: j.params, seed: j.seed })) };
}

function combineNode(sweep: string, how: CombineJob['how'], jobs: SubmittedJob[], data: DataRef, outAbs: string, seed: number): SubmittedJob & { data: CombineJob } {
  const run = join(outAbs, how.kind === 'ensemble' ? `ensemble-${how.method}` : 'cascade');
  const id = combineJobId(
    sweep,
    how,
    jobs.map((j) => j.id),
  );
  const members = Object.fromEntries(jobs.map((j) => [j.id, j.run]));
  return { id, run, params: { combine: how.kind === 'ensemble' ? `ensemble:${how.method}` : 'cascade' }, seed, data: { kind: 'combine', sweep, how, data, out: run, members } };
}

function distillNode(sweep: string, spec: DistillSpec, candidates: SubmittedJob[], data: DataRef, outAbs: string, seed: number): SubmittedJob & { data: DistillJob } {
  const run = join(outAbs, 'distilled');
  const id = distillJobId(
    sweep,
    spec,
    candidates.map((j) => j.id),
  );
  return {
    id,
    run,
    params: { distill: 'student' },
    seed,
    data: { kind: 'distill', sweep, ...spec, data, out: run, candidates: Object.fromEntries(candidates.map((j) => [j.id, j.run])) },
  };
}

export interface JobView {
  id: string;
  state: JobState | 'unknown';
  progress: unknown;
  attempts: number;
  failedReason?: string;
}

/**
 * Waits for the sweep's summary job, calling `onChange` whenever a job's state or progress
 * changes (polled: the same from any machine, no event stream to miss). Resolves with the summary;
 * rejects with the summary job's reason when it fails.
 */
export async function waitForSweep(queue: string, sub: SubmittedSweep, onChange: (job: JobView, all: JobView[]) => void, pollMs = 500): Promise<SweepSummary> {
  const redis = redisClient(queue);
  const q = new Queue(QUEUE_NAME, { connection: redis });
  const last = new Map<string, string>();
  try {
    for (;;) {
      const views: JobView[] = [];
      for (const id of sub.jobs.map((j) => j.id)) {
        const job = await q.getJob(id);
        views.push(
          job
            ? { id, state: await job.getState(), progress: job.progress, attempts: job.attemptsMade, failedReason: job.failedReason || undefined }
            : { id, state: 'unknown', progress: 0, attempts: 0 },
        );
      }
      for (const v of views) {
        const key = JSON.stringify(v);
        if (last.get(v.id) !== key) {
          last.set(v.id, key);
          onChange(v, views);
        }
      }
      const parent = await q.getJob(sub.summaryId);
      const state = parent ? await parent.getState() : 'unknown';
      if (state === 'completed') return parent!.returnvalue as SweepSummary;
      if (state === 'failed') throw new Error(`the sweep's summary job failed: ${parent!.failedReason}`);
      if (state === 'unknown') throw new Error(`the sweep's summary job ${sub.summaryId} is not in the queue (was the queue emptied?)`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await q.close();
    await redis.quit();
  }
}
