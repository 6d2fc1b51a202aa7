/**
 * Questions asked of a finished model on demand: which features a linear model weighs most per
 * class, and how much accuracy survives typos, character noise and dropped words.
 */
import { useState } from 'react';
import type { RobustnessReport } from '../../core/eval/robustness';
import type { TopFeature } from '../../core/models/classical/linear';
import { capabilitiesOf } from '../../core/models/traits';
import { lab } from '../lab-client';
import { toShownError, type ShownError } from '../util/errors';
import { num, pct } from '../util/format';
import { ErrorAlert } from './ErrorAlert';

const KIND: Record<string, string> = { typos: 'Typos (swapped letters)', 'char-noise': 'Character noise', 'word-drop': 'Dropped words' };

/** `model`: the run's model type, whose capabilities decide which probes are offered. */
export function RunProbes({ runId, model }: { runId: string; model: string }) {
  const [features, setFeatures] = useState<{ class: string; features: TopFeature[] }[]>();
  const [robust, setRobust] = useState<RobustnessReport>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<ShownError>();
  const ask = async (what: string, job: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    try {
      await job();
    } catch (e) {
      setError(toShownError(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section className="probes" aria-label="Model probes">
      <div className="row">
        {capabilitiesOf(model).topFeatures && (
          <button type="button" data-testid="show-top-features" disabled={!!busy} onClick={() => void ask('features', async () => setFeatures(await lab().topFeatures(runId, 15)))}>
            {busy === 'features' ? 'Reading weights…' : 'Top features per class'}
          </button>
        )}
        <button
          type="button"
          data-testid="run-robustness"
          disabled={!!busy}
          onClick={() => void ask('robust', async () => setRobust(await lab().robustness(runId, { rate: 0.1 })))}
        >
          {busy === 'robust' ? 'Perturbing…' : 'Robustness check'}
        </button>
      </div>
      {error && <ErrorAlert error={error} testId="probe-error" onDismiss={() => setError(undefined)} />}
      {features && (
        <div className="top-features" data-testid="top-features">
          {features.map((c) => (
            <figure key={c.class} className="feature-list">
              <figcaption>{c.class}</figcaption>
              <ol className="small">
                {c.features.map((f) => (
                  <li key={f.feature}>
                    <code>{f.feature}</code> <span className="muted">{num(f.weight, 3)}</span>
                  </li>
                ))}
              </ol>
            </figure>
          ))}
        </div>
      )}
      {robust && (
        <table className="small robustness" data-testid="robustness">
          <caption>
            Accuracy on {robust.n} validation texts, perturbation rate {pct(robust.rate, 0)} (seed {robust.seed}); clean {pct(robust.clean, 2)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Perturbation</th>
              <th scope="col" className="num">
                Accuracy
              </th>
              <th scope="col" className="num">
                Drop
              </th>
            </tr>
          </thead>
          <tbody>
            {robust.perturbations.map((p) => (
              <tr key={p.kind} data-testid="robustness-row">
                <th scope="row">{KIND[p.kind] ?? p.kind}</th>
                <td className="num">{pct(p.accuracy, 2)}</td>
                <td className="num">{(p.drop * 100).toFixed(2)} pt</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
