/**
 * Scores a finished run on the test split through the guard: the user states why, sees what it
 * costs (one unit of budget), and gets the score with its interval. Earlier looks are listed.
 */
import { useState } from 'react';
import type { TestEvaluation } from '../../../core/experiment/test-evaluation';
import { dateTime, pct } from '../../util/format';

interface Props {
  runId: string;
  left: number;
  evals: TestEvaluation[];
  onEvaluate: (purpose: string) => Promise<void>;
}

export function TestEvalForm({ runId, left, evals, onEvaluate }: Props) {
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section className="card test-eval" data-testid="test-eval" aria-label="Test evaluation">
      <h4>Final evaluation on the test split</h4>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            await onEvaluate(purpose);
            setPurpose('');
          } finally {
            setBusy(false);
          }
        }}
      >
        <label className="grow">
          Purpose{' '}
          <input type="text" value={purpose} placeholder={`e.g. final evaluation of ${runId}`} onChange={(e) => setPurpose(e.target.value)} aria-describedby="test-eval-cost" />
        </label>
        <button type="submit" disabled={busy || left <= 0 || purpose.trim() === ''} data-testid="test-eval-button">
          {busy ? 'Scoring…' : 'Evaluate on test'}
        </button>
      </form>
      <p id="test-eval-cost" className="small muted">
        {left > 0 ? `Spends 1 of the ${left} test evaluations left for this dataset.` : 'The test budget of this dataset is spent: see the access log.'}
      </p>
      {evals.length > 0 && (
        <ul className="small" data-testid="test-eval-results">
          {evals.map((e) => (
            <li key={e.file} data-testid="test-eval-result">
              {dateTime(e.at)}: accuracy <strong>{pct(e.accuracy, 2)}</strong> [{pct(e.ci95[0], 1)}, {pct(e.ci95[1], 1)}], macro-F1 {pct(e.macroF1, 2)}, n {e.n} — “{e.purpose}”
              (budget left {e.guard.budgetLeft})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
