/** Confusion matrices side by side: which classes each model mixes up, and whether they agree. */
import type { CompareEntry } from '../../../core/experiment/compare';
import type { RunLabel } from '../../util/compare';
import { ConfusionMatrix } from './ConfusionMatrix';

interface Props {
  entries: CompareEntry[];
  labels: Map<string, RunLabel>;
}

export function ConfusionMatrices({ entries, labels }: Props) {
  const shown = entries.filter((e) => e.validation?.confusion);
  return (
    <section className="card" aria-labelledby="compare-confusion-h" data-testid="compare-confusion">
      <h3 id="compare-confusion-h">Confusion matrices (validation)</h3>
      <p className="muted small">Rows are the true class, columns the prediction. Blue cells are right, red cells errors; shade is the share of the true class.</p>
      {shown.length === 0 ? (
        <p className="muted">These runs have no validation report.</p>
      ) : (
        <div className="compare-grid">
          {shown.map((e) => (
            <ConfusionMatrix key={e.runId} label={labels.get(e.runId)} configName={e.configName} classes={e.classes} matrix={e.validation!.confusion} />
          ))}
        </div>
      )}
    </section>
  );
}
