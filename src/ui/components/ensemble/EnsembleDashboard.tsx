/**
 * One ensemble, cascade or distilled run: its members, diversity, selection path, contributions
 * and gain on validation, the cascade's curve, the distillation figures, and the test split only
 * through the guard's evaluation (purpose stated, budget spent).
 */
import { useEffect, useState } from 'react';
import type { GuardStatus } from '../../../core/guard/test-guard';
import type { RunDetail } from '../../../core/lab/api';
import type { EnsembleReport } from '../../../core/lab/ensemble-api';
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
import { GainCard } from './GainCard';
import { MembersTable } from './MembersTable';
import { SizeCurve } from './SizeCurve';

/** Models whose runs carry an ensemble report (a distilled student is a plain model with a teacher in its record). */
export const COMPOSITE_MODELS: ReadonlySet<string> = new Set(['ensemble', 'cascade']);

interface Loaded {
  runId: string;
  detail: RunDetail;
  report?: EnsembleReport;
  guard: GuardStatus;
}

export function EnsembleDashboard({ runId }: { runId: string }) {
  const [state, setState] = useState<Loaded>();
  const [error, setError] = useState<ShownError>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let alive = true;
    setError(undefined);
    (async () => {
      const detail = await lab().getRun(runId);
      const [report, guard] = await Promise.all([COMPOSITE_MODELS.has(detail.model) ? lab().ensembleReport(runId) : undefined, lab().guardStatus(detail.datasetId)]);
      if (alive) setState({ runId, detail, report, guard });
    })().catch((e) => alive && setError(toShownError(e)));
    return () => {
      alive = false;
    };
  }, [runId, version]);

  const alert = error && <ErrorAlert error={error} testId="ensemble-report-error" onDismiss={() => setError(undefined)} />;
  if (state?.runId !== runId) return alert || <p className="muted">Loading the run…</p>;
  const { detail, report, guard } = state;
  const distillation = detail.result?.distill;
  const kind = report?.kind ?? (distillation ? 'distilled' : detail.model);
  const title = report?.kind === 'cascade' ? 'Cascade' : report ? `Ensemble · ${report.method ?? 'combined'}` : distillation ? `Distilled ${detail.model}` : detail.model;
  return (
    <section className="ensemble-dashboard" data-testid="ensemble-dashboard" data-kind={kind} data-run-id={runId} aria-label={`${title} ${runId}`}>
      <h3>
        {title} <span className="muted small">{runId}</span>
      </h3>
      {alert}
      <p className="facts">
        <span>
          validation accuracy <strong data-testid="ensemble-accuracy">{pct(detail.result?.validation?.accuracy, 2)}</strong>
        </span>
        {detail.result?.validation?.macroF1 !== undefined && <span>macro-F1 {pct(detail.result.validation.macroF1, 2)}</span>}
        {report && <span>{report.members.length} members</span>}
      </p>
      {report && report.members.length > 0 && <MembersTable report={report} />}
      {report && <GainCard report={report} />}
      {report?.diversity && report.members.length > 1 && (
        <div className="charts">
          <DiversityHeatmap members={report.members} diversity={report.diversity} />
          {/* Contributions and the selection path describe a vote over the members: a cascade does not vote. */}
          {!report.cascade && <ContributionBars members={report.members} diversity={report.diversity} />}
        </div>
      )}
      {!report?.cascade && report?.bySize && report.bySize.length > 0 && <SizeCurve report={report} />}
      {report?.cascade && <CascadeView cascade={report.cascade} members={report.members} />}
      {distillation && <DistillationPanel info={distillation} studentName={detail.configName} studentAccuracy={detail.result?.validation?.accuracy} />}
      {detail.status === 'done' && (
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
