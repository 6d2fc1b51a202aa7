/**
 * A run under compute budgets. It wraps the training loop's checkpoint sink and cancel signal:
 * - every step the loop reads `everySteps`, and the watch answers from the time left: the
 *   configured interval while there is room, more often once less than two intervals of budget
 *   remain, and 1 when it has run out, so the next step boundary writes a checkpoint;
 * - once that checkpoint is saved it aborts the fit, and `stopped()` gives the budget's message
 *   (the pipeline then keeps the run as 'interrupted', resumable);
 * - trainers that never read `everySteps` (classical, fastText's CPU SGD: seconds long) are
 *   stopped by a poll instead;
 * - the seconds it trains go to the usage ledger every half minute, at checkpoints and at the end.
 */
import type { Budgets } from '../lab/quota-api';
import type { CheckpointSink } from '../models/estimator';
import type { BlobStore } from '../storage/port';
import { budgetLeft, exhaustedMidRun, type BudgetError, type BudgetLeft } from './check';
import { addSpan, recordSpan, spanByDay, utcDay, weekStart, type Ledger } from './ledger';

/** What the pipeline asks of a budget watch (ExperimentArgs.budget). */
export interface RunBudget {
  /** Wraps one fit's checkpoint sink and cancel signal (called again when a fit restarts on another backend). */
  start(checkpoints: CheckpointSink, signal?: AbortSignal): { checkpoints: CheckpointSink; signal: AbortSignal };
  /** The budget's error when the watch stopped the fit (which then ended with a CancelledError). */
  stopped(): BudgetError | undefined;
  /** Books the time used and stops watching; safe to call twice, and without start. */
  end(): Promise<void>;
}

export interface RunWatchDeps {
  store: BlobStore;
  /** The run as messages name it (the terminal: its folder as typed now). */
  runId: string;
  /** The run's key in the ledger (known once the run's folder is written), so a folder typed two ways is one run. */
  ledgerKey: () => Promise<string>;
  /** Seconds this run trained before (earlier stretches of a resumed run), for the per-run budget. */
  priorRunSeconds: number;
  /** Read at each check, so a budget raised while the run trains applies at once. */
  budgets: () => Budgets;
  /** The ledger as it stood when the run started (daily and weekly use); the watch adds its own seconds to this copy. */
  ledger: Ledger;
  /** Milliseconds since the epoch (a test's clock). */
  now: () => number;
  /** The checkpoint a resumed run starts from, for the message when it stops before writing another. */
  resumedFrom?: { step: number; epoch: number };
}

const FLUSH_MS = 30_000;
const POLL_MS = 1_000;

/** Where the watch books its own seconds in its copy of the ledger (the stored ledger gets the run's key). */
const OWN = '\u0000this run';

export function runWatch(deps: RunWatchDeps): RunBudget {
  const { store, runId, now } = deps;
  const ledger: Ledger = { days: Object.fromEntries(Object.entries(deps.ledger.days).map(([d, r]) => [d, { ...r }])) };
  let lastFlush: number | undefined;
  let firstStep: number | undefined;
  let steps = 0;
  let saved = deps.resumedFrom;
  let stopError: BudgetError | undefined;
  let fit: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writes = Promise.resolve();
  let ended = false;
  let ownSeconds = 0;

  const limited = () => Object.values(deps.budgets()).some((v) => v !== undefined);
  /** Left at `t`, counting the stretch since the last flush, which the ledger copy does not hold yet. */
  const left = (t: number): BudgetLeft => {
    const extra = { today: 0, week: 0, run: deps.priorRunSeconds + ownSeconds };
    const today = utcDay(t);
    const week = utcDay(weekStart(t));
    for (const [day, s] of lastFlush === undefined ? [] : spanByDay(lastFlush, t)) {
      extra.run += s;
      if (day === today) extra.today += s;
      if (day >= week) extra.week += s;
    }
    return budgetLeft(deps.budgets(), ledger, t, undefined, extra);
  };
  const flush = (t: number) => {
    if (lastFlush === undefined || t <= lastFlush) return;
    const from = lastFlush;
    lastFlush = t;
    addSpan(ledger, OWN, from, t);
    ownSeconds += (t - from) / 1000;
    // A ledger write that fails (a full store) must not fail the run: this run still counts the
    // seconds in its own copy, only the stored history misses them.
    writes = writes.then(async () => recordSpan(store, await deps.ledgerKey(), from, t)).catch(() => undefined);
  };
  const stop = (l: BudgetLeft, t: number) => {
    if (stopError) return;
    stopError = exhaustedMidRun(l, t, runId, saved);
    fit?.abort();
  };
  const poll = () => {
    timer = setTimeout(() => {
      const t = now();
      if (lastFlush !== undefined && t - lastFlush >= FLUSH_MS) flush(t);
      const l = limited() ? left(t) : {};
      // Loops that read everySteps stop themselves after their next checkpoint; others stop here.
      if (l.seconds !== undefined && l.seconds <= 0 && steps === 0) stop(l, t);
      else poll();
    }, POLL_MS);
    (timer as { unref?: () => void }).unref?.();
  };

  const wrap = (inner: CheckpointSink): CheckpointSink => ({
    get everySteps() {
      const base = inner.everySteps;
      if (!limited()) return base;
      const t = now();
      steps++;
      firstStep ??= t;
      if (lastFlush !== undefined && t - lastFlush >= FLUSH_MS) flush(t);
      const l = left(t);
      if (l.seconds === undefined) return base;
      if (l.seconds <= 0) return 1;
      if (steps < 3) return base;
      const perStep = (t - firstStep) / 1000 / (steps - 1);
      if (!(perStep > 0)) return base;
      // Less than two checkpoint intervals of budget left: checkpoint twice within what remains.
      const leftSteps = l.seconds / perStep;
      const interval = base > 0 ? base : Infinity;
      return leftSteps < 2 * interval ? Math.max(1, Math.floor(leftSteps / 2)) : base;
    },
    async save(slot, artifact, position) {
      await inner.save(slot, artifact, position);
      if (slot !== 'latest') return;
      saved = position;
      const t = now();
      flush(t);
      // Asked again: a budget raised meanwhile (the page's Budgets panel) lets the run go on.
      const l = limited() ? left(t) : {};
      if (l.seconds !== undefined && l.seconds <= 0) stop(l, t);
    },
  });

  return {
    start(checkpoints, signal) {
      const t = now();
      // A fit restarted on another backend goes on counting; the time between the two is not training.
      if (lastFlush === undefined || ended) lastFlush = t;
      else flush(t);
      ended = false;
      steps = 0;
      firstStep = undefined;
      fit = new AbortController();
      const f = fit;
      if (signal?.aborted || stopError) f.abort();
      signal?.addEventListener('abort', () => f.abort(), { once: true });
      if (!timer) poll();
      return { checkpoints: wrap(checkpoints), signal: f.signal };
    },
    stopped: () => stopError,
    async end() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      flush(now());
      ended = true;
      await writes;
    },
  };
}
