/** The ensemble or cascade being built: phase with totals and time left, cancel, log, outcome. */
import { ErrorAlert } from '../ErrorAlert';
import { LogBox } from '../LogBox';
import { ProgressBar } from '../ProgressBar';
import { seconds } from '../../util/format';
import { useEnsembleJob } from './job';

/** Time left from the phase's own pace; unknown until some of it is done. */
function timeLeft(p: { done: number; total: number; since: number }, now: number): string | undefined {
  if (p.total <= 1 || p.done <= 0 || p.done >= p.total) return undefined;
  const elapsed = (now - p.since) / 1000;
  return seconds((elapsed / p.done) * (p.total - p.done));
}

export function BuildProgress() {
  const { running, cancelling, kind, runId, phase, logs, result, error, cancelled, cancel } = useEnsembleJob();
  if (!running && !result && !error && !cancelled) return null;
  const what = kind === 'cascade' ? 'cascade' : 'ensemble';
  const left = phase ? timeLeft(phase, Date.now()) : undefined;
  return (
    <section className="card" aria-label={`Building the ${what}`} data-testid="ensemble-job">
      <p className="status-line" aria-live="polite" data-testid="ensemble-status">
        {running ? (cancelling ? 'Cancelling…' : `Building the ${what}`) : result ? `The ${what} is built` : cancelled ? 'Cancelled' : 'Failed'}
        {runId && <span className="muted"> · run {runId}</span>}
        {running && left && <span className="muted"> · about {left} left</span>}
      </p>
      {running && (
        <>
          <ProgressBar label={phase?.phase ?? 'Starting'} done={phase?.done ?? 0} total={phase?.total ?? 0} testId="ensemble-phase" />
          <button type="button" onClick={() => void cancel()} disabled={cancelling} data-testid="ensemble-cancel">
            Cancel
          </button>
        </>
      )}
      {cancelled && !running && (
        <p className="notice" role="status">
          The {what} was cancelled.
        </p>
      )}
      {error && <ErrorAlert error={error} testId="ensemble-error" />}
      {(running || logs.length > 0) && (
        <details open={running}>
          <summary className="small">Log</summary>
          <LogBox logs={logs} running={running} />
        </details>
      )}
    </section>
  );
}
