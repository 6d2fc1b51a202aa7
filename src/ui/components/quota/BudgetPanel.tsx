/**
 * Compute budgets: used and left today, this week and for a run, the seconds trained per day
 * (bars, last two weeks), the live run's time so far, and the fields that set the budgets
 * (minutes; empty means no limit). The lab refuses bad values and then changes nothing.
 */
import { useEffect, useId, useState } from 'react';
import type { Budgets, BudgetStatus } from '../../../core/lab/quota-api';
import { seconds } from '../../util/format';

const FIELDS: [keyof Budgets, string][] = [
  ['perRunMinutes', 'Per run'],
  ['perDayMinutes', 'Per day (UTC)'],
  ['perWeekMinutes', 'Per week'],
];
const DAYS = 14;

interface Props {
  status: BudgetStatus;
  onSave: (b: Budgets) => Promise<void>;
  /** Seconds the live run has trained so far (booked in the ledger every half minute and at its end). */
  liveSeconds?: number;
}

/** The last `n` UTC days up to today, each with its seconds (0 for days without training), oldest first. */
export function lastDays(history: BudgetStatus['history'], n: number, now = Date.now()): BudgetStatus['history'] {
  const byDay = new Map(history.map((h) => [h.day, h.seconds]));
  return Array.from({ length: n }, (_, i) => {
    const day = new Date(now - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { day, seconds: byDay.get(day) ?? 0 };
  });
}

const toText = (b: Budgets) => Object.fromEntries(FIELDS.map(([k]) => [k, b[k] === undefined ? '' : String(b[k])])) as Record<keyof Budgets, string>;

export function BudgetPanel({ status, onSave, liveSeconds }: Props) {
  const id = useId();
  const [draft, setDraft] = useState(() => toText(status.budgets));
  const [saving, setSaving] = useState(false);
  const saved = JSON.stringify(status.budgets);
  useEffect(() => setDraft(toText(JSON.parse(saved) as Budgets)), [saved]);

  const { budgets: b } = status;
  const history = lastDays(status.history, DAYS);
  const most = Math.max(1, ...history.map((h) => h.seconds));
  const usage = (label: string, used: number, limitMin: number | undefined, testId: string) => (
    <li data-testid={testId}>
      <span className="quota-bar-label">{label}</span>
      <span className="quota-bar-track" aria-hidden="true">
        <span
          className={`quota-bar-fill ${limitMin !== undefined && used >= limitMin * 60 ? 'quota-over' : ''}`}
          style={{ width: `${limitMin ? Math.min(100, (used / (limitMin * 60)) * 100) : 0}%` }}
        />
      </span>
      <span className="quota-bar-value">
        {seconds(used)} {limitMin !== undefined ? `of ${limitMin} min` : '(no limit)'}
      </span>
    </li>
  );

  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="quota-budget">
      <h3 id={`${id}-h`}>Compute budget</h3>
      <ul className="quota-bars">
        {usage('Today', status.usedTodaySeconds, b.perDayMinutes, 'budget-today')}
        {usage('This week', status.usedWeekSeconds, b.perWeekMinutes, 'budget-week')}
      </ul>
      <p className="small" data-testid="budget-left">
        {status.leftSeconds === undefined
          ? 'No budget set: runs are not limited.'
          : status.leftSeconds > 0
            ? `${seconds(status.leftSeconds)} left for a run starting now.`
            : 'Budget used up: runs are refused until it renews or is raised.'}
        {liveSeconds !== undefined && <span data-testid="budget-live"> The live run has trained {seconds(liveSeconds)} so far.</span>}
      </p>
      <figure className="quota-history" aria-label="Training time per day" data-testid="budget-history">
        <figcaption className="small muted">Training time per day (UTC), last {DAYS} days</figcaption>
        {history.every((h) => h.seconds === 0) ? (
          <p className="muted small">Nothing trained yet.</p>
        ) : (
          <div className="quota-history-bars">
            {history.map((h) => (
              <div key={h.day} className="quota-history-day" title={`${h.day}: ${seconds(h.seconds)}`}>
                <span className="quota-history-bar" style={{ height: `${Math.max(1, (h.seconds / most) * 100)}%` }} />
                <span className="quota-history-label">{h.day.slice(5)}</span>
              </div>
            ))}
          </div>
        )}
      </figure>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          const next: Budgets = {};
          for (const [k] of FIELDS) if (draft[k].trim() !== '') next[k] = Number(draft[k]);
          setSaving(true);
          try {
            await onSave(next);
          } finally {
            setSaving(false);
          }
        }}
      >
        {FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}{' '}
            <input
              type="number"
              min={0}
              step="any"
              placeholder="no limit"
              value={draft[k]}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
              aria-label={`${label} budget (minutes)`}
              style={{ width: '6.5em' }}
            />{' '}
            min
          </label>
        ))}
        <button type="submit" className="primary" disabled={saving} data-testid="budget-save">
          {saving ? 'Saving…' : 'Set budgets'}
        </button>
      </form>
    </section>
  );
}
