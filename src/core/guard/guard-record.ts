/**
 * The test guard's persisted state on the storage port, beside the dataset it guards:
 *   datasets/<id>/guard.json       - the seal (both hashes), the budget, the creation time
 *   datasets/<id>/guard-log.jsonl  - one line per evaluation attempt, append-only
 * "Used" is counted from the log rather than stored as a number, so the budget cannot drift
 * from the record of what actually happened, and editing one file is not enough to reset it.
 */
import { datasetPaths } from '../data/repository';
import type { BlobStore } from '../storage/port';
import { fromBytes, jsonFile, readJson, toBytes } from '../storage/port';
import { GuardError, InputError } from '../util/errors';

export const GUARD_FORMAT = 'agnews-lab test guard v1';

export interface GuardRecord {
  format: typeof GUARD_FORMAT;
  datasetId: string;
  idsHash: string;
  contentHash: string;
  examples: number;
  /** How many scored evaluations the test split allows. */
  budget: number;
  createdAt: string;
}

/** Result fields kept in the log: scalars only (predictions and matrices stay in the run). */
export type ResultSummary = Record<string, number | string | boolean | null>;

export interface GuardLogEntry {
  at: string;
  /**
   * granted: score ran and returned. failed: score ran (the test split was exposed) and threw.
   * refused: nothing was read. budget: the budget was changed.
   */
  outcome: 'granted' | 'failed' | 'refused' | 'budget';
  runId?: string;
  caller: string;
  purpose: string;
  result?: ResultSummary;
  /** Why it was refused or failed, or the budget change. */
  reason?: string;
  budgetLeft: number;
}

export const guardPaths = (datasetId: string) => {
  const dir = datasetPaths(datasetId).dir;
  return { record: `${dir}guard.json`, log: `${dir}guard-log.jsonl`, test: `${dir}test.jsonl` };
};

/** Outcomes that consumed budget: the test split reached a scoring function. */
export const countsAgainstBudget = (e: GuardLogEntry): boolean => e.outcome === 'granted' || e.outcome === 'failed';

export function checkBudget(budget: number): void {
  if (!Number.isInteger(budget) || budget < 0) throw new InputError(`Test budget must be a whole number >= 0, got ${budget}`, { field: 'budget' });
}

export async function readRecord(store: BlobStore, datasetId: string): Promise<GuardRecord | undefined> {
  return readJson<GuardRecord>(store, guardPaths(datasetId).record);
}

/** Default deny: a dataset without a guard record has no test access at all. */
export async function requireRecord(store: BlobStore, datasetId: string): Promise<GuardRecord> {
  const r = await readRecord(store, datasetId);
  if (!r) {
    throw new GuardError(`Test split of "${datasetId}" refused: it was never registered with the guard (registerTestSplit at import)`, {
      datasetId,
      check: 'registered',
    });
  }
  if (r.format !== GUARD_FORMAT) throw new GuardError(`${guardPaths(datasetId).record} has unknown format "${String(r.format)}"`, { datasetId });
  return r;
}

export async function writeRecord(store: BlobStore, record: GuardRecord): Promise<void> {
  await store.commit([jsonFile(guardPaths(record.datasetId).record, record)]);
}

export async function readLog(store: BlobStore, datasetId: string): Promise<GuardLogEntry[]> {
  const path = guardPaths(datasetId).log;
  const bytes = await store.read(path);
  if (!bytes) return [];
  const out: GuardLogEntry[] = [];
  const lines = fromBytes(bytes).split('\n');
  for (let k = 0; k < lines.length; k++) {
    if (lines[k] === '') continue;
    try {
      out.push(JSON.parse(lines[k]) as GuardLogEntry);
    } catch {
      // A damaged log cannot prove how much budget is left: refuse rather than guess low.
      throw new GuardError(`${path} line ${k + 1} is not valid JSON; the test access log is damaged`, { datasetId });
    }
  }
  return out;
}

export async function appendLog(store: BlobStore, datasetId: string, entry: GuardLogEntry): Promise<void> {
  await store.append(guardPaths(datasetId).log, toBytes(`${JSON.stringify(entry)}\n`));
}

export function usedBudget(log: readonly GuardLogEntry[]): number {
  return log.filter(countsAgainstBudget).length;
}

/** One line per spending entry, for the "budget spent" refusal. */
export function describeSpending(log: readonly GuardLogEntry[]): string {
  const spent = log.filter(countsAgainstBudget);
  if (spent.length === 0) return '(no evaluations logged)';
  return spent
    .map((e, k) => {
      const run = e.runId ? ` run ${e.runId}` : '';
      const acc = typeof e.result?.accuracy === 'number' ? ` accuracy ${e.result.accuracy.toFixed(4)}` : '';
      return `${k + 1}. ${e.at}${run} by ${e.caller}: "${e.purpose}" (${e.outcome}${acc})`;
    })
    .join('; ');
}

/** Keeps the scalar fields of a score result, at most 32 of them, strings cut to 200 chars. */
export function summarise(result: Record<string, unknown>): ResultSummary {
  const out: ResultSummary = {};
  let n = 0;
  for (const [k, v] of Object.entries(result)) {
    if (n >= 32) break;
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
    else if (typeof v === 'string') out[k] = v.length > 200 ? `${v.slice(0, 200)}...` : v;
    else continue;
    n++;
  }
  return out;
}
