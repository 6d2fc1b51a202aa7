/**
 * The budget check: how much training time the budgets leave for a run starting (or going on)
 * now, which budget binds, and the message that names it and how to raise it.
 */
import type { Budgets, BudgetStatus } from '../lab/quota-api';
import { LabError } from '../util/errors';
import { durationFlag, formatSeconds } from './duration';
import { usageAt, weekStart, type Ledger } from './ledger';

export type BudgetName = 'per-run' | 'per-day' | 'per-week';

export interface BudgetLeft {
  /** Seconds left under the tightest budget; undefined when none is set. */
  seconds?: number;
  /** The budget that binds, with its limit and what was used against it. */
  binding?: { name: BudgetName; limitMinutes: number; usedSeconds: number };
}

/** Budget statuses for the lab's `budgets()`: the limits, today's and this week's use, the history, and what a new run may use. */
export function budgetStatus(budgets: Budgets, ledger: Ledger, now: number): BudgetStatus {
  const u = usageAt(ledger, now);
  const left = budgetLeft(budgets, ledger, now);
  return { budgets, usedTodaySeconds: u.todaySeconds, usedWeekSeconds: u.weekSeconds, history: u.history, leftSeconds: left.seconds };
}

/** What the budgets leave at `now` for `runId` (its own earlier stretches count against the per-run budget). */
export function budgetLeft(budgets: Budgets, ledger: Ledger, now: number, runId?: string, extra?: { today: number; week: number; run: number }): BudgetLeft {
  const u = usageAt(ledger, now, runId);
  const limits: [BudgetName, number | undefined, number][] = [
    ['per-run', budgets.perRunMinutes, u.runSeconds + (extra?.run ?? 0)],
    ['per-day', budgets.perDayMinutes, u.todaySeconds + (extra?.today ?? 0)],
    ['per-week', budgets.perWeekMinutes, u.weekSeconds + (extra?.week ?? 0)],
  ];
  let best: BudgetLeft = {};
  for (const [name, limit, used] of limits) {
    if (limit === undefined) continue;
    const seconds = limit * 60 - used;
    if (best.seconds === undefined || seconds < best.seconds) best = { seconds, binding: { name, limitMinutes: limit, usedSeconds: used } };
  }
  return best;
}

const FLAG: Record<BudgetName, string> = { 'per-run': '--per-run', 'per-day': '--per-day', 'per-week': '--per-week' };
const SPAN: Record<BudgetName, string> = { 'per-run': 'by this run', 'per-day': 'today (UTC)', 'per-week': 'this week (since Monday, UTC)' };

/** When the binding budget frees time again, in words; undefined for a per-run budget, which never does. */
function renews(name: BudgetName, now: number): string | undefined {
  if (name === 'per-run') return undefined;
  if (name === 'per-day') return 'at 00:00 UTC';
  return `on Monday ${new Date(weekStart(now) + 7 * 86_400_000).toISOString().slice(0, 10)} at 00:00 UTC`;
}

/** "the per-day compute budget (2h; 2h used today (UTC))" and the command that doubles it. */
export function describeBinding(b: NonNullable<BudgetLeft['binding']>): { what: string; raise: string } {
  return {
    what: `the ${b.name} compute budget (${durationFlag(b.limitMinutes)}; ${formatSeconds(b.usedSeconds)} used ${SPAN[b.name]})`,
    raise: `agnews budget ${FLAG[b.name]} ${durationFlag(b.limitMinutes * 2)}`,
  };
}

/**
 * A run refused or stopped by a compute budget. Stopped mid-run, the run is kept as
 * 'interrupted' with its checkpoint, and resumes when the budget allows or is raised.
 */
export class BudgetError extends LabError {
  override readonly name = 'BudgetError';
}

/** Refusal before a run starts: nothing is written. */
export function exhaustedBeforeStart(left: BudgetLeft, now: number, runId: string, resuming: boolean): BudgetError {
  const binding = left.binding!;
  const b = describeBinding(binding);
  const when = renews(binding.name, now);
  return new BudgetError(
    `${resuming ? `Run ${runId} cannot resume` : 'Not starting'}: ${b.what} is used up${when ? ` until it renews ${when}` : ''}. Raise it with \`${b.raise}\` (the page: Quota → Budgets)${when ? ' or wait' : ''}; nothing was ${resuming ? 'changed' : 'written'}.`,
    { budget: binding.name, limitMinutes: binding.limitMinutes, usedSeconds: binding.usedSeconds },
  );
}

/** The stop mid-run: which budget ran out, where the run is saved, how it resumes, how to raise the budget. */
export function exhaustedMidRun(left: BudgetLeft, now: number, runId: string, saved?: { step: number; epoch: number }): BudgetError {
  const binding = left.binding!;
  const b = describeBinding(binding);
  const when = renews(binding.name, now);
  const resume = `\`agnews train --resume ${runId}\` (the page: the Resume banner)`;
  const raise = `\`${b.raise}\` (the page: Quota → Budgets)`;
  const where = saved ? `The run is saved at step ${saved.step} (epoch ${saved.epoch})` : 'It stopped before its first checkpoint';
  const next = !saved
    ? `start it again ${when ? `once the budget renews ${when}, or now after raising it: ${raise}` : `after raising the budget: ${raise}`}.`
    : when
      ? `it resumes with ${resume} once the budget renews ${when}, or now after raising it: ${raise}.`
      : `raise the budget with ${raise} and resume it with ${resume}.`;
  return new BudgetError(`Stopped: ${b.what} ran out. ${where}; ${next}`, {
    budget: binding.name,
    limitMinutes: binding.limitMinutes,
    usedSeconds: binding.usedSeconds,
    step: saved?.step,
    epoch: saved?.epoch,
    runId,
  });
}
