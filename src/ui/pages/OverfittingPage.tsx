/**
 * The overfitting dashboard: for one dataset, its test-set guard and leakage report; for one
 * of its runs (the live one while it trains), train/validation curves with the gap shaded and
 * the monitors' alerts marked, the risk score with its parts, and the guarded test evaluation.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { GuardStatus } from '../../core/guard/test-guard';
import type { LeakageReport } from '../../core/guard/leakage';
import type { RunDetail } from '../../core/lab/api';
import { ErrorAlert } from '../components/ErrorAlert';
import { AlertList } from '../components/overfitting/AlertList';
import { GapChart } from '../components/overfitting/GapChart';
import { GuardPanel } from '../components/overfitting/GuardPanel';
import { LeakagePanel } from '../components/overfitting/LeakagePanel';
import { RiskCard } from '../components/overfitting/RiskCard';
import { TestEvalForm } from '../components/overfitting/TestEvalForm';
import { StatusBadge } from '../components/StatusBadge';
import { lab } from '../lab-client';
import { useLists } from '../state/lists';
import { useTrain } from '../state/train';
import { useUi } from '../state/ui';
import { toShownError, type ShownError } from '../util/errors';
import { epochsFromMetrics, gapRows } from '../util/gap';
import '../overfitting.css';

export function OverfittingPage() {
  const id = useId();
  const datasets = useLists((s) => s.datasets);
  const runs = useLists((s) => s.runs);
  const { guardDatasetId, guardRunId, set } = useUi();
  const live = useTrain();
  const [guard, setGuard] = useState<{ status?: GuardStatus; leakage?: LeakageReport }>({});
  const [detail, setDetail] = useState<RunDetail>();
  const [error, setError] = useState<ShownError>();
  const [version, setVersion] = useState(0);

  const dataset = datasets.find((d) => d.id === guardDatasetId) ?? datasets[0];
  const datasetRuns = runs.filter((r) => r.datasetId === dataset?.id);
  // The live run is the natural default: that is what the user is watching.
  const runId = datasetRuns.some((r) => r.runId === guardRunId) ? guardRunId : live.running && live.runId ? live.runId : datasetRuns[0]?.runId;
  const runStatus = datasetRuns.find((r) => r.runId === runId)?.status;
  const isLive = live.running && live.runId === runId;

  useEffect(() => {
    void useLists.getState().refreshDatasets();
    void useLists.getState().refreshRuns();
  }, []);

  const datasetId = dataset?.id;
  useEffect(() => {
    if (!datasetId) return;
    let alive = true;
    Promise.all([lab().guardStatus(datasetId), lab().leakage(datasetId)])
      .then(([status, leakage]) => alive && setGuard({ status, leakage }))
      .catch((e) => alive && setError(toShownError(e)));
    return () => {
      alive = false;
    };
  }, [datasetId, version]);

  useEffect(() => {
    if (!runId || isLive) return setDetail(undefined);
    let alive = true;
    lab()
      .getRun(runId)
      .then((d) => alive && setDetail(d))
      .catch((e) => alive && setError(toShownError(e)));
    return () => {
      alive = false;
    };
  }, [runId, runStatus, isLive, version]);

  const epochs = useMemo(() => (isLive ? live.epochs : epochsFromMetrics(detail?.metrics ?? [])), [isLive, live.epochs, detail?.metrics]);
  const alerts = isLive ? live.alerts : (detail?.risk?.alerts ?? []);
  const loss = useMemo(() => gapRows(epochs, 'loss'), [epochs]);
  const accuracy = useMemo(() => gapRows(epochs, 'accuracy'), [epochs]);
  const act = async (job: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await job();
    } catch (e) {
      setError(toShownError(e));
    } finally {
      setVersion((v) => v + 1);
    }
  };

  if (!dataset)
    return (
      <section className="page">
        <h2>Overfitting</h2>
        <p className="muted">Import a dataset first: its test split is sealed and checked for leakage at import.</p>
      </section>
    );

  return (
    <section className="page overfitting" aria-labelledby={`${id}-h`} data-testid="overfitting-page">
      <div className="row spread">
        <h2 id={`${id}-h`}>Overfitting</h2>
        <div className="row">
          <label>
            Dataset{' '}
            <select value={dataset.id} onChange={(e) => set({ guardDatasetId: e.target.value, guardRunId: undefined })} aria-label="Dataset">
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Run{' '}
            <select
              value={runId ?? ''}
              onChange={(e) => set({ guardRunId: e.target.value })}
              aria-label="Run"
              data-testid="overfitting-run-select"
              disabled={datasetRuns.length === 0}
            >
              {datasetRuns.length === 0 && <option value="">No runs on this dataset yet</option>}
              {datasetRuns.map((r) => (
                <option key={r.runId} value={r.runId}>
                  {r.configName} · {r.status} · {r.runId}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {error && <ErrorAlert error={error} testId="overfitting-error" onDismiss={() => setError(undefined)} />}
      {datasetRuns.length === 0 && (
        <p className="muted" data-testid="overfitting-no-runs">
          No run has trained on {dataset.name} yet: train one on the Train tab, and its train and validation curves, the monitors' alerts and its overfitting risk appear here (live
          while it trains). The test-set guard and the leakage report below need no run.
        </p>
      )}
      {runId && (
        <section className="card" aria-label="Run monitors" data-testid="overfitting-run">
          <h3>
            {datasetRuns.find((r) => r.runId === runId)?.configName} <span className="muted small">{runId}</span>{' '}
            {runStatus && <StatusBadge status={isLive ? 'running' : runStatus} />}
          </h3>
          {detail?.result?.stoppedEarly && (
            <p className={/halted/.test(detail.result.stoppedEarly) ? 'warn-text' : 'muted'} data-testid="run-stopped">
              Stopped at epoch {detail.result.epochs}: {detail.result.stoppedEarly.replace(/\.$/, '')}. The best validation checkpoint was kept.
            </p>
          )}
          {detail?.risk?.judged === false && epochs.length === 0 ? (
            <p className="muted" data-testid="gap-single-pass">
              This model is fitted in a single pass, with no epochs: there are no train and validation curves to compare.
            </p>
          ) : (
            <div className="charts">
              <GapChart metric="loss" rows={loss} alerts={alerts} testId="gap-chart-loss" />
              <GapChart metric="accuracy" rows={accuracy} alerts={alerts} testId="gap-chart-accuracy" />
            </div>
          )}
          <h4>Alerts</h4>
          <AlertList alerts={alerts} live={isLive} />
          {detail?.risk && <RiskCard risk={detail.risk} runId={detail.runId} safety={detail.safety} />}
          {detail?.status === 'done' && guard.status && (
            <TestEvalForm runId={detail.runId} left={guard.status.left} evals={detail.testEvals} onEvaluate={(purpose) => act(() => lab().evaluateTest(detail.runId, purpose))} />
          )}
        </section>
      )}
      <div className="two-col">
        {guard.status && <GuardPanel status={guard.status} onSetBudget={(b, reason) => act(() => lab().setTestBudget(dataset.id, b, reason))} />}
        <LeakagePanel report={guard.leakage} meta={dataset} />
      </div>
    </section>
  );
}
