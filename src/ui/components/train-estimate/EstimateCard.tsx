/**
 * What the selected config will cost before it starts: parameters, peak memory, checkpoint size,
 * time per epoch and in all (from this device's calibration), the basis of the time, the guard's
 * refusals and device limits it would hit, and a warning when it needs more than the compute
 * budget left.
 */
import { useId } from 'react';
import { ErrorAlert } from '../ErrorAlert';
import { formatBytes, int, seconds } from '../../util/format';
import type { EstimateState } from './use-estimate';
import './train-estimate.css';

interface Props extends EstimateState {
  /** Why there is nothing to estimate (no dataset, invalid JSON), when so. */
  unavailable?: string;
}

/** 12,345,678 → "12.3 M": parameter counts read at a glance; the exact figure is in the title. */
const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)} K` : int(n));

export function EstimateCard({ estimate, leftSeconds, loading, error, stale, unavailable }: Props) {
  const id = useId();
  const over = estimate && !stale && leftSeconds !== undefined && estimate.seconds > leftSeconds;
  return (
    <section className="card train-estimate" aria-labelledby={`${id}-h`} aria-busy={loading} data-testid="train-estimate" data-stale={stale || undefined}>
      <h3 id={`${id}-h`}>Estimate</h3>
      {unavailable && !estimate && <p className="muted small">{unavailable}</p>}
      {loading && (
        <p className="muted small train-estimate-loading" role="status" data-testid="estimate-loading">
          <span className="train-estimate-spinner" aria-hidden="true" /> Estimating… the first estimate of a config on this device times it on a few synthetic batches (first time
          only; later ones are instant). Training can start meanwhile: it begins as soon as the timing ends.
        </p>
      )}
      {error && <ErrorAlert error={error} testId="estimate-error" />}
      {estimate && (
        <>
          <dl className={`train-estimate-figures${stale ? ' train-estimate-stale' : ''}`}>
            <div>
              <dt>Parameters</dt>
              <dd data-testid="estimate-parameters" title={`${int(estimate.parameters)} parameters, ${int(estimate.trainableParameters)} trained`}>
                {count(estimate.parameters)}
                {estimate.trainableParameters !== estimate.parameters && <span className="muted small"> ({count(estimate.trainableParameters)} trained)</span>}
              </dd>
            </div>
            <div>
              <dt>Peak memory</dt>
              <dd data-testid="estimate-peak">{formatBytes(estimate.peakBytes)}</dd>
            </div>
            <div>
              <dt>Checkpoint</dt>
              <dd data-testid="estimate-checkpoint">{formatBytes(estimate.checkpointBytes)}</dd>
            </div>
            <div>
              <dt>Per epoch</dt>
              <dd data-testid="estimate-epoch">{seconds(estimate.secondsPerEpoch)}</dd>
            </div>
            <div>
              <dt>In all</dt>
              <dd data-testid="estimate-total" title="All epochs, with the validation passes">
                {seconds(estimate.seconds)}{' '}
                <span className="muted small">
                  ({estimate.epochs} {estimate.epochs === 1 ? 'epoch' : 'epochs'} of {int(estimate.trainExamples)} examples, {estimate.backend})
                </span>
              </dd>
            </div>
          </dl>
          <p className="muted small" data-testid="estimate-basis">
            {stale ? 'For the previous settings; ' : ''}Basis: {estimate.basis}
          </p>
          {!stale && estimate.problems.length > 0 && (
            <div className="train-estimate-problems" data-testid="estimate-problems">
              <strong>This config would hit:</strong>
              <ul className="issues">
                {estimate.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          )}
          {over && (
            <p className="train-estimate-over" role="alert" data-testid="estimate-budget-warning">
              This run is estimated at {seconds(estimate.seconds)}, more than the {seconds(leftSeconds)} of compute budget left: it will stop with a checkpoint when the budget runs
              out (resume it later, or raise the budget on the Quota tab first).
            </p>
          )}
        </>
      )}
    </section>
  );
}
