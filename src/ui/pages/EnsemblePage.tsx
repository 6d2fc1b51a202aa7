/**
 * The ensemble dashboard: build an ensemble or a cascade over finished runs (picked on the Runs
 * page or here), follow it while it is fitted, then study any ensemble, cascade or distilled run.
 */
import { useEffect, useId } from 'react';
import type { RunSummary } from '../../core/lab/api';
import { BuildForm } from '../components/ensemble/BuildForm';
import { BuildProgress } from '../components/ensemble/BuildProgress';
import { COMPOSITE_MODELS, EnsembleDashboard } from '../components/ensemble/EnsembleDashboard';
import { useEnsembleJob } from '../components/ensemble/job';
import { useEnsembleUi } from '../components/ensemble/state';
import { useLists } from '../state/lists';
import { useTrain } from '../state/train';
import { pct } from '../util/format';
import '../ensemble.css';

/** Runs the dashboard can show: ensembles, cascades, and students distilled from a teacher. */
function isDashboardRun(r: RunSummary): boolean {
  return COMPOSITE_MODELS.has(r.model) || !!r.result?.distill;
}

export function EnsemblePage() {
  const id = useId();
  const runs = useLists((s) => s.runs);
  const loaded = useLists((s) => s.runsLoaded);
  const training = useTrain((s) => s.running);
  const building = useEnsembleJob((s) => s.running);
  const { openRunId, set } = useEnsembleUi();

  useEffect(() => {
    void useLists.getState().refreshRuns();
  }, []);

  const finished = runs.filter((r) => r.status === 'done');
  const dashboardRuns = finished.filter(isDashboardRun);
  const open = dashboardRuns.some((r) => r.runId === openRunId) ? openRunId : dashboardRuns[0]?.runId;

  return (
    <section className="page ensemble" aria-labelledby={`${id}-h`} data-testid="ensemble-page">
      <h2 id={`${id}-h`}>Ensemble</h2>
      {!loaded ? (
        <p className="muted">Loading…</p>
      ) : finished.length < 2 ? (
        <p className="muted" data-testid="ensemble-too-few">
          An ensemble needs at least two finished runs on the same dataset: train them on the Train page first.
        </p>
      ) : (
        <BuildForm candidates={finished} busy={training} />
      )}
      <BuildProgress />
      <div className="row spread">
        <h3>Dashboard</h3>
        {dashboardRuns.length > 0 && (
          <label>
            Run{' '}
            <select value={open ?? ''} onChange={(e) => set({ openRunId: e.target.value })} aria-label="Ensemble run" data-testid="ensemble-run-select" disabled={building}>
              {dashboardRuns.map((r) => (
                <option key={r.runId} value={r.runId}>
                  {r.configName} · {r.model} · {pct(r.result?.validation?.accuracy, 2)} · {r.runId}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {open ? (
        <EnsembleDashboard runId={open} />
      ) : (
        <p className="muted" data-testid="ensemble-none">
          No ensemble, cascade or distilled run in this page's storage yet: build one above. (Runs made with <code>npx agnews ensemble</code>, <code>cascade</code> or{' '}
          <code>distill</code> live in run folders, which the page cannot import yet.)
        </p>
      )}
    </section>
  );
}
