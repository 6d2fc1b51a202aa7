/** Predict: classify a text with a finished run's model. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Prediction } from '../../core/lab/api';
import type { TokenAttribution } from '../../core/models/estimator';
import { capabilitiesOf } from '../../core/models/traits';
import { AttributionView } from '../components/AttributionView';
import { ErrorAlert } from '../components/ErrorAlert';
import { ProbabilityBars } from '../components/ProbabilityBars';
import { lab } from '../lab-client';
import { useLists } from '../state/lists';
import { useUi } from '../state/ui';
import { dateTime, pct } from '../util/format';
import { toShownError, type ShownError } from '../util/errors';

export function PredictPage() {
  const id = useId();
  const runs = useLists((s) => s.runs);
  const loaded = useLists((s) => s.runsLoaded);
  const predictRunId = useUi((s) => s.predictRunId);
  const set = useUi((s) => s.set);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ runId: string; text: string; prediction: Prediction }>();
  const [error, setError] = useState<ShownError>();
  const [explained, setExplained] = useState<{ key: string; attribution: TokenAttribution & { classes: string[] } }>();
  const [explainError, setExplainError] = useState<ShownError>();

  useEffect(() => {
    void useLists.getState().refreshRuns();
  }, []);

  const finished = runs.filter((r) => r.status === 'done');
  const run = finished.find((r) => r.runId === predictRunId) ?? finished[0];

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!run || !text.trim() || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const prediction = await lab().predict(run.runId, [text]);
      setResult({ runId: run.runId, text, prediction });
    } catch (err) {
      setResult(undefined);
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  };

  const probs = result?.prediction.probs[0];
  const can = capabilitiesOf(run?.model ?? '');
  const explain = async (target: number) => {
    if (!result) return;
    setExplainError(undefined);
    try {
      setExplained({ key: `${result.runId}|${result.text}`, attribution: await lab().explain(result.runId, result.text, target) });
    } catch (err) {
      setExplainError(toShownError(err));
    }
  };
  const attribution = explained?.key === `${result?.runId}|${result?.text}` ? explained.attribution : undefined;

  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Predict</h2>
      {loaded && finished.length === 0 ? (
        <p className="muted" data-testid="no-finished-runs">
          No finished runs yet: train a model first.
        </p>
      ) : (
        <form className="card predict" onSubmit={(e) => void onSubmit(e)}>
          <div className="form-grid">
            <label htmlFor={`${id}-run`}>Run</label>
            <select id={`${id}-run`} value={run?.runId ?? ''} onChange={(e) => set({ predictRunId: e.target.value })}>
              {finished.map((r) => (
                <option key={r.runId} value={r.runId}>
                  {r.configName} · {r.model} · {pct(r.result?.validation?.accuracy)} · {dateTime(r.createdAt)}
                </option>
              ))}
            </select>

            <label htmlFor={`${id}-text`}>Text to classify</label>
            <textarea
              id={`${id}-text`}
              data-testid="predict-input"
              rows={5}
              value={text}
              placeholder="Paste a news headline and its first sentence…"
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          <div className="row">
            <button type="submit" className="primary" data-testid="predict-button" disabled={!run || !text.trim() || busy}>
              {busy ? 'Predicting…' : 'Predict'}
            </button>
          </div>
        </form>
      )}
      {error && <ErrorAlert error={error} testId="predict-error" />}
      {result && probs && (
        <div className="card">
          <h3>Prediction</h3>
          <ProbabilityBars classes={result.prediction.classes} probs={probs} />
          {can.explain ? (
            <div className="row small">
              Explain:{' '}
              {result.prediction.classes.map((c, k) => (
                <button key={c} type="button" data-testid={`explain-${k}`} onClick={() => void explain(k)}>
                  {c}
                </button>
              ))}
            </div>
          ) : can.topFeatures ? (
            <p className="muted small">Linear models are explained by their per-class feature weights: open the run on the Runs page.</p>
          ) : (
            <p className="muted small">This model cannot say which words drove its prediction.</p>
          )}
          {explainError && <ErrorAlert error={explainError} testId="explain-error" />}
          {attribution && <AttributionView attribution={attribution} classes={attribution.classes} />}
          {attribution && run?.model === 'transformer' && (
            <p className="muted small">
              A Transformer's layer norms make its output nearly blind to the scale of its inputs, so gradient × input is close to zero-sum for it: read these shades as weak
              evidence.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
