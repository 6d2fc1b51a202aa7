/** Reliability diagrams of every run, side by side, so calibration can be compared at a glance. */
import type { CompareEntry } from '../../../core/experiment/compare';
import type { RunLabel } from '../../util/compare';
import { ReliabilityDiagram } from './ReliabilityDiagram';

interface Props {
  entries: CompareEntry[];
  labels: Map<string, RunLabel>;
}

export function ReliabilityDiagrams({ entries, labels }: Props) {
  const shown = entries.filter((e) => e.validation?.reliability?.equalWidth);
  return (
    <section className="card" aria-labelledby="compare-reliability-h" data-testid="compare-reliability">
      <h3 id="compare-reliability-h">Calibration</h3>
      <p className="muted small">
        Does a confidence of 80% mean right 80% of the time? Each point is a bin: its mean confidence (across) and its accuracy (up). Points on the dashed diagonal are calibrated;
        below it the model is overconfident. Larger points hold more validation examples.
      </p>
      {shown.length === 0 ? (
        <p className="muted">These runs have no reliability data (trained before it was recorded).</p>
      ) : (
        <div className="compare-grid">
          {shown.map((e) => {
            const l = labels.get(e.runId);
            return (
              <ReliabilityDiagram key={e.runId} name={l?.name ?? e.configName} color={l?.color ?? '#2563eb'} diagram={e.validation!.reliability.equalWidth} n={e.validation!.n} />
            );
          })}
        </div>
      )}
    </section>
  );
}
