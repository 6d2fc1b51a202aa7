/**
 * One ensemble, cascade or distilled run: its members, diversity, selection path, contributions
 * and gain on validation, the cascade's curve, the distillation figures, and the test split only
 * through the guard's evaluation (purpose stated, budget spent).
 */
import { useEffect, useState } from 'react';
import type { GuardStatus } from '../../../core/guard/test-guard';
import type { RunDetail } from '../../../core/lab/api';
import { lab } from '../../lab-client';
import { useLists } from '../../state/lists';
import { toShownError, type ShownError } from '../../util/errors';
import { pct } from '../../util/format';
import { ErrorAlert } from '../ErrorAlert';
import { TestEvalForm } from '../overfitting/TestEvalForm';
import { CascadeView } from './CascadeView';
import { ContributionBars } from './ContributionBars';
import { DistillationPanel } from './DistillationPanel';
import { DiversityHeatmap } from './DiversityHeatmap';
import { ensembleLab, type DashboardReport } from './ensemble-client';
import { GainCard } from './GainCard';
import { MembersTable } from './MembersTable';
import { SizeCurve } from './SizeCurve';

interface Loaded {
  report?: DashboardReport;
  detail?: RunDetail;
  guard?: GuardStatus;
}

export function EnsembleDashboard({ runId }: { runId: string }) {
  const [state, setState] = useState<Loaded>({});
  const [error, setError] = useState<ShownError>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let alive = true;
    setError(undefined);
    (async () => {
      const [report, detail] = await Promise.all([ensembleLab().ensembleReport(runId), lab().getRun(runId)]);
      const guard = await lab().guardStatus(detail.datasetId);
      if (alive) setState({ report, detail, guard });
    })().catch((e) => alive && setError(toShownError(e)));
    return () => {
      alive = false;
    };
  }, [runId, version]);

  const { report, detail, guard } = state;
  const shown = report?.runId === runId ? report : undefined;
  const alert = error && <ErrorAlert error={error} testId="ensemble-report-error" onDismiss={() => setError(undefined)} />;
  if (!shown || !detail) return alert || <p className="muted">Loading the run…</p>;

  const accuracy = detail.result?.validation?.accuracy;
  const title = shown.kind === 'cascade' ? 'Cascade' : shown.method ? `Ensemble · ${shown.method}` : 'Ensemble';
  return (
    <section className="ensemble-dashboard" data-testid="ensemble-dashboard" data-kind={shown.kind} aria-label={`${title} ${runId}`}>
      <h3>
        {title} <span className="muted small">{runId}</span>
      </h3>
      {alert}
      <p className="facts">
        <span>
          validation accuracy <strong data-testid="ensemble-accuracy">{pct(accuracy, 2)}</strong>
        </span>
        <span>{shown.members.length} members</span>
        {detail.result?.validation?.macroF1 !== undefined && <span>macro-F1 {pct(detail.result.validation.macroF1, 2)}</span>}
      </p>
      {shown.members.length > 0 && <MembersTable report={shown} />}
      <GainCard report={shown} />
      {shown.diversity && shown.members.length > 1 && (
        <div className="charts">
          <DiversityHeatmap members={shown.members} diversity={shown.diversity} />
          <ContributionBars members={shown.members} diversity={shown.diversity} />
        </div>
      )}
      {shown.bySize && shown.bySize.length > 0 && <SizeCurve report={shown} />}
      {shown.cascade && <CascadeView cascade={shown.cascade} members={shown.members} />}
      {shown.distillation && <DistillationPanel info={shown.distillation} studentName={detail.configName} />}
      {detail.status === 'done' && guard && (
        <TestEvalForm
          runId={runId}
          left={guard.left}
          evals={detail.testEvals}
          onEvaluate={async (purpose) => {
            setError(undefined);
            try {
              await lab().evaluateTest(runId, purpose);
            } catch (e) {
              setError(toShownError(e));
            } finally {
              useLists.getState().storageChanged();
              setVersion((v) => v + 1);
            }
          }}
        />
      )}
    </section>
  );
}
