/** `agnews queue status`: how many jobs are in each state, the jobs themselves, and the workers connected. */
import { Queue, type JobType } from 'bullmq';
import { QUEUE_NAME, redisClient } from './connection';
import type { QueueJob } from './job';

const STATES: JobType[] = ['active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed'];

export interface QueueStatus {
  counts: Record<string, number>;
  /** The newest jobs of each state (at most `limit` per state). */
  jobs: { id: string; kind: string; state: string; run?: string; progress: unknown; attempts: number; failedReason?: string }[];
  /** Connected workers: host:pid, address, seconds connected. */
  workers: { name: string; addr?: string; age?: number }[];
}

export async function queueStatus(queue: string, limit = 50): Promise<QueueStatus> {
  const redis = redisClient(queue);
  const q = new Queue<QueueJob>(QUEUE_NAME, { connection: redis });
  try {
    const counts = await q.getJobCounts(...STATES);
    const jobs: QueueStatus['jobs'] = [];
    for (const state of STATES)
      for (const job of await q.getJobs([state], 0, limit - 1))
        if (job?.id)
          jobs.push({
            id: job.id,
            kind: job.data.kind,
            state,
            run: job.data.out,
            progress: job.progress,
            attempts: job.attemptsMade,
            failedReason: job.failedReason || undefined,
          });
    // BullMQ names a worker's connection "PREFIX:QUEUE:w:NAME"; NAME is the worker's host:pid.
    const workers = (await q.getWorkers()).map((w) => ({
      name: String(w.rawname ?? '').split(':w:')[1] ?? '',
      addr: w.addr,
      age: w.age === undefined ? undefined : Number(w.age),
    }));
    return { counts, jobs, workers };
  } finally {
    await q.close();
    await redis.quit();
  }
}
