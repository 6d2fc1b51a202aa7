/**
 * The usage ledger: seconds of training per run per UTC day, in the lab's store. A run adds its
 * seconds as it trains (at each checkpoint, every half minute and at its end), each second
 * booked to the UTC day it was spent in, so daily and weekly budgets read straight from it.
 * Writers take the store's lock, so runners sharing the store add up instead of overwriting.
 */
import { withLock } from '../storage/lock';
import { jsonFile, readJson, type BlobStore } from '../storage/port';

export const LEDGER_PATH = 'budget/usage.json';
/** Days kept: enough for the dashboard's history and any week in it. */
const KEEP_DAYS = 90;
const DAY_MS = 86_400_000;

/** UTC day (YYYY-MM-DD) → run id → seconds. */
export interface Ledger {
  days: Record<string, Record<string, number>>;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Midnight UTC starting the day of `ms`. */
export const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** Monday 00:00 UTC of the week holding `ms` (weeks run Monday to Sunday, UTC). */
export function weekStart(ms: number): number {
  const day = dayStart(ms);
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY_MS;
}

/** The span [from, to) cut at UTC midnights: seconds per day. */
export function spanByDay(from: number, to: number): [string, number][] {
  const out: [string, number][] = [];
  for (let t = from; t < to;) {
    const end = Math.min(to, dayStart(t) + DAY_MS);
    out.push([utcDay(t), (end - t) / 1000]);
    t = end;
  }
  return out;
}

/** Books the span to `runId` in `ledger` (in place) and drops days past the kept window. */
export function addSpan(ledger: Ledger, runId: string, from: number, to: number): void {
  for (const [day, seconds] of spanByDay(from, to)) {
    const runs = (ledger.days[day] ??= {});
    runs[runId] = (runs[runId] ?? 0) + seconds;
  }
  const oldest = utcDay(dayStart(to) - KEEP_DAYS * DAY_MS);
  for (const day of Object.keys(ledger.days)) if (day < oldest) delete ledger.days[day];
}

export async function readLedger(store: BlobStore): Promise<Ledger> {
  const l = await readJson<Ledger>(store, LEDGER_PATH);
  return l && typeof l.days === 'object' && l.days ? l : { days: {} };
}

/** Adds a span of `runId`'s training to the stored ledger, under the store's lock. */
export async function recordSpan(store: BlobStore, runId: string, from: number, to: number): Promise<void> {
  if (to <= from) return;
  await withLock(store, LEDGER_PATH, { wait: true, owner: 'the usage ledger' }, async () => {
    const ledger = await readLedger(store);
    addSpan(ledger, runId, from, to);
    await store.commit([jsonFile(LEDGER_PATH, ledger)]);
  });
}

export interface Usage {
  todaySeconds: number;
  weekSeconds: number;
  /** The run's seconds over every kept day (all its resumed stretches). */
  runSeconds: number;
  history: { day: string; seconds: number }[];
}

/** Totals at `now`: today, this week (since Monday UTC), one run's, and seconds per day oldest first. */
export function usageAt(ledger: Ledger, now: number, runId?: string): Usage {
  const today = utcDay(now);
  const week = utcDay(weekStart(now));
  const u: Usage = { todaySeconds: 0, weekSeconds: 0, runSeconds: 0, history: [] };
  for (const day of Object.keys(ledger.days).sort()) {
    const runs = ledger.days[day];
    const seconds = Object.values(runs).reduce((a, b) => a + b, 0);
    u.history.push({ day, seconds });
    if (day === today) u.todaySeconds += seconds;
    if (day >= week && day <= today) u.weekSeconds += seconds;
    if (runId !== undefined) u.runSeconds += runs[runId] ?? 0;
  }
  return u;
}
