/** The checklist of finished runs; the same selection as the Runs page's "Compare" boxes. */
import { useId } from 'react';
import type { RunSummary } from '../../../core/lab/api';
import { dateTime, pct } from '../../util/format';

interface Props {
  runs: RunSummary[];
  selected: string[];
  onToggle: (runId: string) => void;
  onSelect: (runIds: string[]) => void;
}

export function RunPicker({ runs, selected, onToggle, onSelect }: Props) {
  const id = useId();
  const done = runs.filter((r) => r.status === 'done');
  return (
    <fieldset className="card compare-picker" data-testid="compare-picker" aria-describedby={`${id}-hint`}>
      <legend>Runs to compare</legend>
      <p id={`${id}-hint`} className="muted small">
        Only finished runs can be compared. Pick two or more to test whether their differences are real.
      </p>
      {done.length === 0 ? (
        <p className="muted" data-testid="compare-no-runs">
          No finished runs yet: train some on the Train page.
        </p>
      ) : (
        <>
          <ul className="compare-pick-list">
            {done.map((r) => (
              <li key={r.runId}>
                <label data-testid="compare-pick" data-run-id={r.runId}>
                  <input type="checkbox" checked={selected.includes(r.runId)} onChange={() => onToggle(r.runId)} />
                  <span className="compare-pick-name">{r.configName}</span>
                  <span className="muted small">
                    {r.model} · val. {pct(r.result?.validation?.accuracy, 2)} · {dateTime(r.createdAt)}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <div className="row">
            <button type="button" onClick={() => onSelect(done.map((r) => r.runId))}>
              Select all
            </button>
            <button type="button" onClick={() => onSelect([])} disabled={selected.length === 0}>
              Clear
            </button>
          </div>
        </>
      )}
    </fieldset>
  );
}
