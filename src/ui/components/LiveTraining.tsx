/** What the running (or last) training shows: status, phase, curves, log, result or error. */
import { useEffect, useMemo, useState } from 'react';
import { epochSeries, stepSeries, useTrain } from '../state/train';
import type { Series } from '../util/series';
import { CurveChart } from './CurveChart';
import { ErrorAlert } from './ErrorAlert';
import { LogBox } from './LogBox';
import { ProgressBar } from './ProgressBar';
import { ResultSummary } from './ResultSummary';
import { adapterText } from './BackendBadge';
import { formatBytes, num } from '../util/format';
import { progressText } from '../util/progress';

export function LiveTraining() {
  const { running, cancelling, runId, backend, steps, epochs, status, phase, logs, result, error, cancelled } = useTrain();

  const lossSeries = useMemo<Series[]>(
    () => [
      { name: 'train loss', color: '#2563eb', points: stepSeries(steps.items, 'loss') },
      { name: 'validation loss', color: '#dc2626', points: epochSeries(epochs, 'valLoss'), dots: true },
    ],
    [steps, epochs],
  );
  const accSeries = useMemo<Series[]>(
    () => [
      { name: 'train accuracy', color: '#2563eb', points: stepSeries(steps.items, 'accuracy') },
      { name: 'validation accuracy', color: '#dc2626', points: epochSeries(epochs, 'valAccuracy'), dots: true },
      { name: 'validation macro-F1', color: '#16a34a', points: epochSeries(epochs, 'valMacroF1'), dots: true, dashed: true },
    ],
    [steps, epochs],
  );

  // A pretrained base's download (phase 'Downloading hf:…', in bytes) stays on screen once it is over.
  const downloading = phase?.phase.startsWith('Downloading ') ? phase : undefined;
  const [download, setDownload] = useState<{ runId?: string; phase: string; total: number }>();
  useEffect(() => {
    if (downloading) setDownload({ runId, phase: downloading.phase, total: downloading.total });
  }, [downloading, runId]);
  const shownDownload = download && download.runId === runId && !downloading ? download : undefined;

  // A model fitted in one pass (Naive Bayes, TF-IDF + L-BFGS) logs at most one point per series:
  // a chart of one dot at "step 1" says nothing the result's figures do not.
  const singlePass = !running && !!result && Math.max(steps.items.length, epochs.length) <= 1;
  const started = running || runId || steps.items.length || epochs.length || result || error || cancelled;
  if (!started) return <p className="muted">Pick a dataset and a preset, then start training.</p>;

  return (
    <div className="live">
      <p className="status-line" data-testid="train-status" aria-live="polite">
        {running ? (cancelling ? 'Cancelling…' : 'Training') : result ? 'Finished' : cancelled ? 'Cancelled' : error ? 'Failed' : 'Stopped'}
        {status && (
          <>
            {' · '}
            <span data-testid="train-progress">{progressText(status)}</span>
            {status.lr !== undefined && <> · lr {num(status.lr, 5)}</>}
          </>
        )}
        {runId && <span className="muted"> · run {runId}</span>}
        {backend && (
          <span className="muted">
            {' '}
            · {backend.backend}
            {adapterText(backend) && ` (${adapterText(backend)})`}
          </span>
        )}
      </p>
      {running && phase && <ProgressBar label={phase.phase} done={phase.done} total={phase.total} testId="train-phase" unit={downloading ? 'bytes' : undefined} />}
      {shownDownload && (
        <p className="muted small" data-testid="train-download">
          {shownDownload.phase.replace(/^Downloading/, 'Base')}: {formatBytes(shownDownload.total)} read (downloaded once, then from this browser's cache).
        </p>
      )}
      {cancelled && !running && (
        <p className="notice" role="status" data-testid="train-cancelled">
          Training was cancelled.
        </p>
      )}
      {error && <ErrorAlert error={error} testId="train-error" />}
      {singlePass ? (
        <p className="muted" data-testid="single-pass">
          This model is fitted in a single pass over the data, so there are no training curves: its validation metrics are the figures below.
        </p>
      ) : (
        <div className="charts">
          <CurveChart title="Loss" series={lossSeries} testId="chart-loss" emptyText={running ? 'Waiting for the first logged step…' : undefined} />
          <CurveChart title="Accuracy" series={accSeries} testId="chart-accuracy" yDomain={[0, 1]} percent emptyText={running ? 'Waiting for the first logged step…' : undefined} />
        </div>
      )}
      {result && <ResultSummary result={result} testId="train-result" title="Result of this run" />}
      <h4>Log</h4>
      <LogBox logs={logs} running={running} />
    </div>
  );
}
