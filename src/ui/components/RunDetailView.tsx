/** One stored run: curves from its metric rows, its result record and its config. */
import { useMemo, useState } from 'react';
import type { RunDetail } from '../../core/lab/api';
import { zip } from '../../core/export/zip';
import type { ExportFormat } from '../../core/lab/export-model';
import { lab } from '../lab-client';
import { metricPoints, validationPoints } from '../util/metrics';
import type { Series } from '../util/series';
import { toShownError, type ShownError } from '../util/errors';
import { CurveChart } from './CurveChart';
import { ErrorAlert } from './ErrorAlert';
import { ResultSummary } from './ResultSummary';
import { RunProbes } from './RunProbes';
import { StatusBadge } from './StatusBadge';
import { ValidationAnalysisView } from './ValidationAnalysisView';

/** The lab's export of a run as one zip download (a Hugging Face folder, with ONNX, or the run bundle). */
async function downloadExport(runId: string, format: ExportFormat): Promise<void> {
  const { files } = await lab().exportModel(runId, format);
  const url = URL.createObjectURL(new Blob([zip(files) as BlobPart], { type: 'application/zip' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `${runId.replace(/[^\w.-]+/g, '_')}-${format}.zip` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The run's TensorBoard event file as written during training, saved under its own name for `tensorboard --logdir`. */
async function downloadTensorboard(runId: string): Promise<void> {
  const file = await lab().tensorboardFile(runId);
  if (!file) throw new Error(`Run ${runId} has no TensorBoard events yet (no metric rows written)`);
  const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: file.name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function RunDetailView({ run, onClose }: { run: RunDetail; onClose: () => void }) {
  const loss = useMemo<Series[]>(
    () => [
      { name: 'train loss', color: '#2563eb', points: metricPoints(run.metrics, 'step', 'loss') },
      { name: 'validation loss', color: '#dc2626', points: validationPoints(run.metrics, 'loss'), dots: true },
    ],
    [run.metrics],
  );
  const acc = useMemo<Series[]>(
    () => [
      { name: 'train accuracy', color: '#2563eb', points: metricPoints(run.metrics, 'step', 'accuracy') },
      { name: 'validation accuracy', color: '#dc2626', points: validationPoints(run.metrics, 'accuracy'), dots: true },
      { name: 'validation macro-F1', color: '#16a34a', points: validationPoints(run.metrics, 'macroF1'), dots: true, dashed: true },
    ],
    [run.metrics],
  );
  const [exporting, setExporting] = useState<{ busy?: ExportFormat; error?: ShownError }>({});
  const lr = useMemo<Series[]>(() => [{ name: 'learning rate', color: '#9333ea', points: metricPoints(run.metrics, 'step', 'lr') }], [run.metrics]);

  return (
    <section className="card run-detail" data-testid="run-detail" aria-label={`Run ${run.runId}`}>
      <div className="row spread">
        <h3>
          {run.configName} <span className="muted small">{run.runId}</span> <StatusBadge status={run.status} />
        </h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small">
        Model {run.model} · classes: {run.classes.join(', ')} · {run.metrics.length} metric row{run.metrics.length === 1 ? '' : 's'}
      </p>
      {run.error && <ErrorAlert error={toShownError(run.error)} testId="run-error" />}
      {run.status === 'done' && run.metrics.length <= 1 ? (
        // One metric row is a model fitted in one pass: a chart of one dot says less than its figures.
        <p className="muted" data-testid="run-single-pass">
          Fitted in a single pass over the data: no training curves. Its validation metrics are below.
        </p>
      ) : (
        <div className="charts">
          <CurveChart title="Loss" series={loss} testId="run-chart-loss" />
          <CurveChart title="Accuracy" series={acc} testId="run-chart-accuracy" yDomain={[0, 1]} percent />
          {lr[0].points.length > 1 && <CurveChart title="Learning rate" series={lr} testId="run-chart-lr" />}
        </div>
      )}
      {run.result && <ResultSummary result={run.result} testId="run-result" />}
      {run.analysis && <ValidationAnalysisView analysis={run.analysis} />}
      {run.status === 'done' && run.result && <RunProbes runId={run.runId} model={run.result.model} />}
      {run.status === 'done' && (
        <div className="row" data-testid="run-export">
          <span className="muted small">Export (zip):</span>
          {(['hf', 'onnx', 'bundle'] as const).map((f) => (
            <button
              key={f}
              type="button"
              data-testid={`run-export-${f}`}
              disabled={!!exporting.busy}
              onClick={() => {
                setExporting({ busy: f });
                downloadExport(run.runId, f).then(
                  () => setExporting({}),
                  (e: unknown) => setExporting({ error: toShownError(e) }),
                );
              }}
            >
              {exporting.busy === f ? 'Exporting…' : { hf: 'Hugging Face', onnx: 'ONNX', bundle: 'Run bundle' }[f]}
            </button>
          ))}
        </div>
      )}
      {run.metrics.length > 0 && (
        <button type="button" data-testid="run-tensorboard" onClick={() => downloadTensorboard(run.runId).catch((e: unknown) => setExporting({ error: toShownError(e) }))}>
          TensorBoard events
        </button>
      )}
      {exporting.error && <ErrorAlert error={exporting.error} testId="run-export-error" />}
      <details>
        <summary>Config</summary>
        <pre className="json" data-testid="run-config">
          {JSON.stringify(run.config, null, 2)}
        </pre>
      </details>
      {run.result && (
        <details>
          <summary>Result record (JSON)</summary>
          <pre className="json">{JSON.stringify(run.result, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}
