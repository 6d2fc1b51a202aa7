/**
 * `agnews budget [--per-run 30m] [--per-day 2h] [--per-week 10h] [--json]`: sets compute budgets
 * (kept in the runner's store, shared with every later runner call), or shows them with no flag.
 */
import { parseDuration, formatSeconds, durationFlag } from '../core/budget/duration';
import type { Budgets, BudgetStatus } from '../core/lab/quota-api';
import { createNodeLab } from '../platform/node/node-lab';
import { printRecord } from './util';

export interface BudgetOptions {
  perRun?: string;
  perDay?: string;
  perWeek?: string;
  json?: boolean;
}

const FLAGS: [keyof BudgetOptions, keyof Budgets, string][] = [
  ['perRun', 'perRunMinutes', '--per-run'],
  ['perDay', 'perDayMinutes', '--per-day'],
  ['perWeek', 'perWeekMinutes', '--per-week'],
];

export async function budgetCommand(opts: BudgetOptions): Promise<void> {
  const lab = createNodeLab();
  let status = await lab.budgets();
  if (FLAGS.some(([flag]) => opts[flag] !== undefined)) {
    // Flags not given keep their budget; `off` clears one.
    const next: Budgets = { ...status.budgets };
    for (const [flag, key, name] of FLAGS) if (opts[flag] !== undefined) next[key] = parseDuration(opts[flag] as string, name);
    status = await lab.setBudgets(next);
  }
  if (opts.json) return printRecord(status, true);
  process.stdout.write(budgetLines(status).join('\n') + '\n');
}

/** The budgets, their use and what a run starting now may use, for the terminal. */
export function budgetLines(s: BudgetStatus): string[] {
  const limit = (m?: number) => (m === undefined ? 'no limit' : durationFlag(m));
  const recent = s.history.slice(-7);
  return [
    `per run     ${limit(s.budgets.perRunMinutes)}`,
    `per day     ${limit(s.budgets.perDayMinutes).padEnd(10)} ${formatSeconds(s.usedTodaySeconds)} used today (UTC)`,
    `per week    ${limit(s.budgets.perWeekMinutes).padEnd(10)} ${formatSeconds(s.usedWeekSeconds)} used this week (since Monday, UTC)`,
    `left now    ${s.leftSeconds === undefined ? 'no limit' : formatSeconds(s.leftSeconds)} for a run starting now`,
    ...(recent.length ? [`by day      ${recent.map((d) => `${d.day} ${formatSeconds(d.seconds)}`).join(', ')}`] : []),
  ];
}
