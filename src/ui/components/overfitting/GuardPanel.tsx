/**
 * The test-set guard of one dataset: are the stored test split's hashes still the ones sealed
 * at import, how much of the evaluation budget is left, and every access attempt so far.
 */
import { useState } from 'react';
import type { GuardStatus } from '../../../core/guard/test-guard';
import { dateTime, pct } from '../../util/format';

interface Props {
  status: GuardStatus;
  onSetBudget: (budget: number, reason: string) => Promise<void>;
}

const OUTCOME: Record<string, string> = { granted: 'granted', failed: 'failed (counted)', refused: 'refused', budget: 'budget changed' };

export function GuardPanel({ status, onSetBudget }: Props) {
  const [budget, setBudget] = useState(status.budget);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section className="card guard" data-testid="guard-panel" aria-label="Test-set guard">
      <h4>Test-set guard</h4>
      <p className="small muted">
        The test split was sealed when the dataset was imported. Training, validation and search can never read it; a test evaluation needs a stated purpose, spends one unit of a
        small budget and is logged, so the test score stays an honest estimate.
      </p>
      <dl className="result-grid guard-grid">
        <dt>Hashes</dt>
        <dd data-testid="guard-verified" data-ok={status.verified.ok}>
          {status.verified.ok ? '✓ ids and content match the seal' : `✗ ${status.verified.problem ?? 'the stored test split no longer matches its seal'}`}
        </dd>
        <dt>Ids hash</dt>
        <dd className="mono small">{status.idsHash.replace(/^sha256:/, '').slice(0, 16)}…</dd>
        <dt>Content hash</dt>
        <dd className="mono small">{status.contentHash.replace(/^sha256:/, '').slice(0, 16)}…</dd>
        <dt>Budget</dt>
        <dd data-testid="guard-budget">
          {status.used} of {status.budget} used, <strong>{status.left} left</strong>
          <span className="meter wide" style={{ ['--v' as string]: pct(status.budget ? status.used / status.budget : 0) }} aria-hidden="true" />
        </dd>
        <dt>Sealed</dt>
        <dd>{dateTime(status.createdAt)}</dd>
      </dl>
      <form
        className="row budget-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            await onSetBudget(budget, reason);
            setReason('');
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          Budget <input type="number" min={0} max={1000} value={budget} onChange={(e) => setBudget(Number(e.target.value))} style={{ width: '5em' }} />
        </label>
        <label className="grow">
          Reason <input type="text" value={reason} placeholder="why the budget changes (logged)" onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || reason.trim() === '' || budget === status.budget}>
          Change budget
        </button>
      </form>
      <h5>Access log</h5>
      {status.log.length === 0 ? (
        <p className="muted small" data-testid="guard-log-empty">
          Nobody has read the test split yet.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="guard-log" data-testid="guard-log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Outcome</th>
                <th scope="col">Caller</th>
                <th scope="col">Run</th>
                <th scope="col">Purpose</th>
                <th scope="col">Result / reason</th>
                <th scope="col" className="num">
                  Left
                </th>
              </tr>
            </thead>
            <tbody>
              {status.log.map((e, i) => (
                <tr key={i} data-testid="guard-log-row" data-outcome={e.outcome}>
                  <td className="small">{dateTime(e.at)}</td>
                  <td className={`outcome-${e.outcome}`}>{OUTCOME[e.outcome] ?? e.outcome}</td>
                  <td className="small">{e.caller}</td>
                  <td className="small">{e.runId ?? '–'}</td>
                  <td className="small">{e.purpose}</td>
                  <td className="small">{e.result?.accuracy !== undefined ? `accuracy ${pct(e.result.accuracy as number, 2)}` : (e.reason ?? '')}</td>
                  <td className="num">{e.budgetLeft}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
