/** What the running (or last) training shows: status, phase, curves, log, result or error. */
import { useMemo } from 'react';
import { epochSeries, stepSeries, useTrain } from '../state/train';
import type { Series } from '../util/series';
import { CurveChart } from './CurveChart';
import { ErrorAlert } from './ErrorAlert';
import { LogBox } from './LogBox';
import { ProgressBar } from './ProgressBar';
import { ResultSummary } from './ResultSummary';
import { adapterText } from './BackendBadge';
import { num } from '../util/format';

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

  const started = running || runId || steps.items.length || epochs.length || result || error || cancelled;
  if (!started) return <p className="muted">Pick a dataset and a preset, then start training.</p>;

  return (
    <div className="live">
      <p className="status-line" data-testid="train-status" aria-live="polite">
        {running ? (cancelling ? 'Cancelling…' : 'Training') : result ? 'Finished' : cancelled ? 'Cancelled' : error ? 'Failed' : 'Stopped'}
        {status && (
          <>
            {' · '}epoch <strong>{status.epoch}</strong> · step <strong>{status.step}</strong> ·{' '}
            <strong>{Math.round(status.examplesPerSec).toLocaleString('en-US')}</strong> examples/s
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
      {running && phase && <ProgressBar label={phase.phase} done={phase.done} total={phase.total} testId="train-phase" />}
      {cancelled && !running && (
        <p className="notice" role="status" data-testid="train-cancelled">
          Training was cancelled.
        </p>
      )}
      {error && <ErrorAlert error={error} testId="train-error" />}
      <div className="charts">
        <CurveChart title="Loss" series={lossSeries} testId="chart-loss" />
        <CurveChart title="Accuracy" series={accSeries} testId="chart-accuracy" yDomain={[0, 1]} percent />
      </div>
      {result && <ResultSummary result={result} testId="train-result" title="Result of this run" />}
      <h4>Log</h4>
      <LogBox logs={logs} />
    </div>
  );
}
