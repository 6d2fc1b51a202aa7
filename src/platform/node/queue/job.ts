/**
 * What travels through the queue. A train job is the lab's `train` call as data: a config, the
 * dataset by path and fingerprint (every worker reads the same file and checks it is the same
 * data), a seed, and the run folder it writes. Ids are derived from (sweep, config, seed), so
 * submitting the same sweep twice, or a job delivered twice, names the same job and folder.
 */
import { createHash } from 'node:crypto';
import type { EnsembleMethod } from '../../../core/lab/ensemble-api';

export interface DataRef {
  /** An absolute path every worker can read (a shared file system), or a Hub id. */
  path: string;
  /** The dataset's SHA-256 fingerprint at submission; a worker refuses data that differs. */
  fingerprint: string;
}

export interface TrainJob {
  kind: 'train';
  sweep: string;
  /** The settings this job changes in the base config (empty for the base itself). */
  params: Record<string, unknown>;
  config: unknown;
  seed: number;
  data: DataRef;
  /** The run folder (absolute, on the shared file system). */
  out: string;
}

/** The flow's parent: waits for every train job of the sweep, then ranks them into `DIR/summary.json`. */
export interface SummaryJob {
  kind: 'summary';
  sweep: string;
  /** The sweep folder. */
  out: string;
  /** Each child's job id to its run folder, changed settings and seed. */
  runs: Record<string, { run: string; params: Record<string, unknown>; seed: number }>;
}

/**
 * A combination of the sweep's runs (the lab's `ensemble` or `cascade`), the flow parent of their
 * train jobs: BullMQ starts it once they have all finished. Its own parent is the summary.
 */
export interface CombineJob {
  kind: 'combine';
  sweep: string;
  how: { kind: 'ensemble'; method: EnsembleMethod } | { kind: 'cascade' };
  data: DataRef;
  /** Its run folder. */
  out: string;
  /** Member job ids to their run folders, in sweep order (a cascade's order: cheapest first). */
  members: Record<string, string>;
}

/**
 * A student distilled from the sweep's best teacher (the lab's `distill`), the flow parent of the
 * jobs that make its candidates: the combine job when there is one, else the train jobs. The
 * teacher is the finished candidate with the best validation accuracy.
 */
export interface DistillJob {
  kind: 'distill';
  sweep: string;
  /** The student's experiment config. */
  config: unknown;
  alpha?: number;
  temperature?: number;
  data: DataRef;
  out: string;
  /** Candidate job ids to their run folders. */
  candidates: Record<string, string>;
}

export type QueueJob = TrainJob | CombineJob | DistillJob | SummaryJob;

/** A JSON rendering with sorted keys: the same config always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const digest = (s: string, n = 16) => createHash('sha256').update(s).digest('hex').slice(0, n);

/** The sweep's id: its output folder, which all its jobs share. */
export const sweepId = (outAbs: string) => digest(`sweep:${outAbs}`, 12);

/** BullMQ forbids ':' in custom ids; hex digests have none. */
export const trainJobId = (sweep: string, config: unknown, seed: number) => `t-${sweep}-${digest(`${canonicalJson(config)}|${seed}`)}`;

export const combineJobId = (sweep: string, how: CombineJob['how'], memberIds: string[]) => `c-${sweep}-${digest(`${canonicalJson(how)}|${memberIds.join(',')}`)}`;

export const distillJobId = (sweep: string, job: Pick<DistillJob, 'config' | 'alpha' | 'temperature'>, candidateIds: string[]) =>
  `d-${sweep}-${digest(`${canonicalJson([job.config, job.alpha, job.temperature])}|${candidateIds.join(',')}`)}`;

export const summaryJobId = (sweep: string, childIds: string[]) => `s-${sweep}-${digest([...childIds].sort().join(','))}`;

/** A readable, stable folder name: the changed settings, then the seed. */
export function runFolderName(params: Record<string, unknown>, seed: number): string {
  const parts = Object.entries(params).map(([k, v]) => `${k.replace(/^model\./, '')}=${typeof v === 'number' ? Number(v.toPrecision(6)) : String(v)}`);
  const full = parts.join(',').replace(/[^A-Za-z0-9=.,_-]+/g, '_');
  // A long name is cut, and the digest of the whole keeps two cut names apart.
  const slug = full.length > 80 ? `${full.slice(0, 64)}~${digest(canonicalJson(params), 8)}` : full;
  return `${slug ? `${slug},` : ''}seed-${seed}`;
}
