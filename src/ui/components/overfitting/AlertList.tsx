/** The monitors' alerts in order, with what each one did (warn, halt, reduce the learning rate). */
import type { Alert } from '../../../core/guard/monitor';

const ACTION: Record<Alert['action'], string> = { warn: 'warned', halt: 'halted training', 'reduce-lr': 'halved the learning rate' };

export function AlertList({ alerts, live }: { alerts: Alert[]; live?: boolean }) {
  if (alerts.length === 0)
    return (
      <p className="muted small" data-testid="alerts-none">
        {live ? 'No monitor has raised an alert so far.' : 'No monitor raised an alert during this run.'}
      </p>
    );
  return (
    <ol className="alerts" data-testid="alert-list" aria-label="Monitor alerts">
      {alerts.map((a, i) => (
        <li key={i} className={`alert-item alert-${a.action}`} data-testid="alert-item" data-rule={a.rule} data-action={a.action}>
          <strong>
            Epoch {a.epoch} · {a.rule}
          </strong>{' '}
          <span className="alert-action">({ACTION[a.action]})</span>: {a.message}
        </li>
      ))}
    </ol>
  );
}
