/**
 * The test-set guard: default deny. Scoring on the test split goes through `evaluateTest`,
 * which demands a stated purpose, refuses while a model-choosing phase is active, verifies the
 * stored split against both hashes sealed at import, spends one unit of a small budget, and
 * logs the attempt. A test set read once per finished model stays an unbiased estimate; one
 * read after every tweak becomes a validation set, and its scores go optimistic.
 *
 * Built on the data layer: verification reads the raw `test.jsonl` (to say which hash
 * failed), and the examples handed to `score` come through `readTestSplit`, the repository's
 * own door, so its fingerprint check and access log see every guarded read too.
 */
import { getDatasetMeta, readTestSplit } from '../data/repository';
import type { DatasetMeta, Example } from '../data/types';
import { withLock } from '../storage/lock';
import type { BlobStore } from '../storage/port';
import { GuardError, NotFoundError } from '../util/errors';
import { appendLog, checkBudget, describeSpending, GUARD_FORMAT, guardPaths, readLog, readRecord, requireRecord, summarise, usedBudget, writeRecord } from './guard-record';
import type { GuardLogEntry, GuardRecord } from './guard-record';
import { assertTestAllowed, currentPhase } from './phase';
import { parseTestBytes, sealOf, verifySeal } from './test-seal';

/** Five looks: enough for a final model and a few honest re-runs, too few to tune on. */
export const DEFAULT_TEST_BUDGET = 5;

export interface GuardAccess {
  /** Why the test split is read, in words, e.g. "final evaluation of run r-12". Required. */
  purpose: string;
  /** Who reads it, e.g. "cli/eval". */
  caller: string;
  runId?: string;
}

export type ScoreResult = { accuracy?: number; [k: string]: unknown };

export interface GuardStatus {
  datasetId: string;
  idsHash: string;
  contentHash: string;
  /** Recomputed from storage now, not remembered. */
  verified: { ids: boolean; content: boolean; ok: boolean; problem?: string };
  budget: number;
  used: number;
  left: number;
  createdAt: string;
  log: GuardLogEntry[];
}

export interface GuardClock {
  now?: () => Date;
}

const stamp = (opts?: GuardClock): string => (opts?.now ?? (() => new Date()))().toISOString();

/**
 * Seals the test split at import: both hashes, the budget, the time. Registering the same split
 * again is a no-op that keeps the budget and the log; a different split under the same dataset
 * id is refused (a re-import must not quietly reset the budget).
 */
export async function registerTestSplit(store: BlobStore, meta: DatasetMeta, test: readonly Example[], opts: { budget?: number } & GuardClock = {}): Promise<GuardRecord> {
  const budget = opts.budget ?? DEFAULT_TEST_BUDGET;
  checkBudget(budget);
  const seal = await sealOf(test);
  if (seal.contentHash !== meta.testFingerprint || test.length !== meta.sizes.test) {
    throw new GuardError(`Test split of "${meta.id}" not registered: it does not match meta.testFingerprint`, { datasetId: meta.id });
  }
  const existing = await readRecord(store, meta.id);
  if (existing) {
    if (existing.idsHash === seal.idsHash && existing.contentHash === seal.contentHash) return existing;
    throw new GuardError(`Dataset "${meta.id}" already has a registered test split with different ${existing.idsHash !== seal.idsHash ? 'ids' : 'content'}`, {
      datasetId: meta.id,
    });
  }
  const record: GuardRecord = { format: GUARD_FORMAT, datasetId: meta.id, ...seal, budget, createdAt: stamp(opts) };
  await writeRecord(store, record);
  return record;
}

/** Checks the stored test split against the seal; says which hash failed. */
async function verifyStored(store: BlobStore, record: GuardRecord): Promise<{ ok: true } | { ok: false; check: string; message: string }> {
  const path = guardPaths(record.datasetId).test;
  const bytes = await store.read(path);
  if (!bytes) return { ok: false, check: 'present', message: `${path} is missing` };
  let test: Example[];
  try {
    test = parseTestBytes(bytes, path);
  } catch (e) {
    return { ok: false, check: 'content', message: (e as Error).message };
  }
  const v = await verifySeal(record, test);
  if (v.failed === 'ids') {
    return {
      ok: false,
      check: 'ids',
      message: `ids check failed: the sample ids changed since import (${test.length} examples stored, ${record.examples} sealed; ids hash ${v.actual.idsHash} != ${record.idsHash})`,
    };
  }
  if (v.failed === 'content') {
    return {
      ok: false,
      check: 'content',
      message: `content check failed: the same ids now carry different labels or texts (content hash ${v.actual.contentHash} != ${record.contentHash})`,
    };
  }
  return { ok: true };
}

/**
 * Scores on the test split, once per unit of budget. Refusals are logged too (outcome
 * 'refused'), so an attempt to peek during training leaves a trace.
 */
export async function evaluateTest<R extends ScoreResult>(
  store: BlobStore,
  datasetId: string,
  access: GuardAccess,
  score: (test: Example[]) => Promise<R>,
  opts: GuardClock = {},
): Promise<{ result: R; budgetLeft: number }> {
  // Reading the log, scoring and appending is one exclusive section per dataset: concurrent
  // evaluations (three `agnews eval` processes) queue here instead of all seeing the same budget.
  return withLock(store, guardPaths(datasetId).log, { wait: true, owner: 'a test evaluation' }, () => spend(store, datasetId, access, score, opts));
}

async function spend<R extends ScoreResult>(
  store: BlobStore,
  datasetId: string,
  access: GuardAccess,
  score: (test: Example[]) => Promise<R>,
  opts: GuardClock,
): Promise<{ result: R; budgetLeft: number }> {
  const what = `Test evaluation of "${datasetId}"`;
  const purpose = typeof access?.purpose === 'string' ? access.purpose.trim() : '';
  const caller = typeof access?.caller === 'string' ? access.caller.trim() : '';
  const record = await requireRecord(store, datasetId);
  const log = await readLog(store, datasetId);
  const left = Math.max(0, record.budget - usedBudget(log));
  const entry = (outcome: GuardLogEntry['outcome'], extra: Partial<GuardLogEntry>): GuardLogEntry => ({
    at: stamp(opts),
    outcome,
    ...(access?.runId ? { runId: access.runId } : {}),
    caller,
    purpose,
    ...extra,
    budgetLeft: extra.budgetLeft ?? left,
  });
  const refuse = async (message: string, details: Record<string, unknown>): Promise<never> => {
    await appendLog(store, datasetId, entry('refused', { reason: message }));
    throw new GuardError(message, { datasetId, ...details });
  };

  if (purpose === '') {
    await refuse(`${what} refused: state a purpose in plain words (access.purpose is empty), e.g. "final evaluation of run r-12"`, { check: 'purpose' });
  }
  if (caller === '') await refuse(`${what} refused: name the caller (access.caller is empty)`, { check: 'caller' });
  try {
    assertTestAllowed(what);
  } catch (e) {
    await refuse((e as Error).message, { check: 'phase', phase: currentPhase() });
  }
  const verdict = await verifyStored(store, record);
  if (!verdict.ok) await refuse(`${what} refused: ${verdict.message}`, { check: verdict.check });
  if (left <= 0) {
    await refuse(`${what} refused: the test budget of ${record.budget} is spent. It was spent on: ${describeSpending(log)}`, {
      check: 'budget',
      budget: record.budget,
    });
  }

  const test = await readTestSplit(store, datasetId, { purpose, caller });
  let result: R;
  try {
    result = await score(test);
  } catch (e) {
    // The split reached the scorer: the look counts even though no number came back.
    await appendLog(store, datasetId, entry('failed', { reason: (e as Error)?.message ?? String(e), budgetLeft: left - 1 }));
    throw e;
  }
  const summary = result && typeof result === 'object' ? summarise(result) : {};
  await appendLog(store, datasetId, entry('granted', { result: summary, budgetLeft: left - 1 }));
  return { result, budgetLeft: left - 1 };
}

export async function guardStatus(store: BlobStore, datasetId: string): Promise<GuardStatus> {
  const record = await requireRecord(store, datasetId);
  const log = await readLog(store, datasetId);
  const v = await verifyStored(store, record);
  const used = usedBudget(log);
  return {
    datasetId,
    idsHash: record.idsHash,
    contentHash: record.contentHash,
    verified: v.ok ? { ids: true, content: true, ok: true } : { ids: v.check === 'content', content: false, ok: false, problem: v.message },
    budget: record.budget,
    used,
    left: Math.max(0, record.budget - used),
    createdAt: record.createdAt,
    log,
  };
}

/**
 * Changes the budget, with a reason that goes into the log: raising it is allowed (a new
 * held-out question deserves a look) but never silent.
 */
export async function setBudget(store: BlobStore, datasetId: string, budget: number, change: { reason: string; caller: string }, opts: GuardClock = {}): Promise<GuardStatus> {
  checkBudget(budget);
  if (typeof change?.reason !== 'string' || change.reason.trim() === '') {
    throw new GuardError(`Test budget of "${datasetId}" not changed: give a reason`, { datasetId, check: 'purpose' });
  }
  if ((await getDatasetMeta(store, datasetId)) === undefined) throw new NotFoundError(`No dataset "${datasetId}" in storage`, { datasetId });
  await withLock(store, guardPaths(datasetId).log, { wait: true, owner: 'a budget change' }, async () => {
    const record = await requireRecord(store, datasetId);
    const used = usedBudget(await readLog(store, datasetId));
    await writeRecord(store, { ...record, budget });
    await appendLog(store, datasetId, {
      at: stamp(opts),
      outcome: 'budget',
      caller: change.caller ?? '',
      purpose: change.reason.trim(),
      reason: `budget ${record.budget} -> ${budget}`,
      budgetLeft: Math.max(0, budget - used),
    });
  });
  return guardStatus(store, datasetId);
}
