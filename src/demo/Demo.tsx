/**
 * The demo page: one of the lab's finished runs (in this browser, through the same lab worker as
 * the app), or an exported folder at `?model=URL` (url-model.ts), classifies the text as it is
 * typed: a bar per class, the tokens that pushed the decision where the model can say, the stage
 * that answered when the model is a cascade, and the time each prediction took.
 */
import { useEffect, useRef, useState } from 'react';
import type { RunSummary } from '../core/lab/api';
import { lab } from '../ui/lab-client';
import { toShownError } from '../ui/util/errors';
import { openUrlModel, type UrlModel } from './url-model';

interface Classified {
  text: string;
  classes: string[];
  probs: number[];
  ms: number;
  tokens?: { token: string; score: number }[];
  /** Why there are no token attributions, when the model gives none. */
  noExplain?: string;
  /** A cascade's answer: which of its stages (member runs, cheapest first) gave it. */
  route?: { stage: number; stages: string[] };
}

async function classifyRun(runId: string, text: string): Promise<Omit<Classified, 'text'>> {
  const started = performance.now();
  const { classes, probs, stages, stage } = await lab().predictRoute(runId, [text]);
  const ms = performance.now() - started;
  // Explanations are optional: a model that cannot attribute still classifies.
  let noExplain: string | undefined;
  const explained = await lab()
    .explain(runId, text)
    .catch((e: unknown) => void (noExplain = toShownError(e).text));
  const tokens = explained?.tokens.map((token, i) => ({ token, score: explained.scores[i] }));
  return { classes, probs: probs[0], ms, tokens, noExplain, route: stages && stage ? { stage: stage[0], stages } : undefined };
}

async function classifyUrl(model: UrlModel, text: string): Promise<Omit<Classified, 'text'>> {
  const started = performance.now();
  const { classes, probs } = await model.predict(text);
  return { classes, probs, ms: performance.now() - started, noExplain: 'An ONNX export runs without gradients here, so it gives no token attributions.' };
}

/** Typing pauses this long before a prediction: one per pause, not one per key. */
const DEBOUNCE_MS = 150;

export function Demo() {
  const [runs, setRuns] = useState<RunSummary[]>();
  const [runId, setRunId] = useState('');
  const [text, setText] = useState('');
  const [out, setOut] = useState<Classified>();
  const [error, setError] = useState<string>();
  const [urlModel, setUrlModel] = useState<UrlModel>();
  const [loading, setLoading] = useState<string>();
  const latest = useRef(0);

  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const modelUrl = params.get('model');
    let opened: UrlModel | undefined;
    let cancelled = false;
    (async () => {
      let wanted = params.get('run');
      if (modelUrl) {
        setLoading(`Loading the model at ${modelUrl}…`);
        const o = await openUrlModel(modelUrl);
        if (o.kind === 'run') wanted = o.runId;
        else if (cancelled) o.close();
        else setUrlModel((opened = o));
      }
      const done = (await lab().listRuns()).filter((r) => r.status === 'done');
      if (cancelled) return;
      setRuns(done);
      setRunId(done.find((r) => r.runId === wanted)?.runId ?? done[0]?.runId ?? '');
    })()
      .catch((e: unknown) => !cancelled && setError(toShownError(e).text))
      .finally(() => !cancelled && setLoading(undefined));
    return () => {
      cancelled = true;
      opened?.close();
    };
  }, []);

  useEffect(() => {
    if ((!urlModel && !runId) || !text.trim()) return;
    const ticket = ++latest.current;
    const timer = setTimeout(async () => {
      try {
        const result = urlModel ? await classifyUrl(urlModel, text) : await classifyRun(runId, text);
        if (ticket !== latest.current) return;
        setOut({ text, ...result });
        setError(undefined);
      } catch (e) {
        if (ticket === latest.current) setError(toShownError(e).text);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [runId, urlModel, text]);

  const top = out ? out.probs.indexOf(Math.max(...out.probs)) : -1;
  const scale = out?.tokens ? Math.max(1e-9, ...out.tokens.map((t) => Math.abs(t.score))) : 1;
  return (
    <main className="app demo">
      <h1>AG News Lab demo</h1>
      {loading && (
        <p className="muted" data-testid="demo-loading">
          {loading}
        </p>
      )}
      {urlModel && (
        <p data-testid="demo-url-model">
          Model: <code>{urlModel.label}</code>{' '}
          <span className="muted small" data-testid="demo-runtime">
            {urlModel.runtime}
          </span>
        </p>
      )}
      {!urlModel && runs && runs.length === 0 && (
        <p data-testid="demo-no-runs">
          No finished runs in this browser yet: train one in the <a href="./">lab</a>.
        </p>
      )}
      {!urlModel && runs && runs.length > 0 && (
        <label>
          Model{' '}
          <select aria-label="Model" data-testid="demo-run" value={runId} onChange={(e) => setRunId(e.target.value)}>
            {runs.map((r) => (
              <option key={r.runId} value={r.runId}>
                {r.configName} ({r.model}) {r.runId}
              </option>
            ))}
          </select>
        </label>
      )}
      <textarea aria-label="Text to classify" data-testid="demo-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder="Type a headline…" />
      {error && (
        <p role="alert" data-testid="demo-error">
          {error}
        </p>
      )}
      {out && (
        <section data-testid="demo-result" aria-label="Prediction">
          <p>
            <strong data-testid="demo-label">{out.classes[top]}</strong>{' '}
            <span className="muted small" data-testid="demo-latency">
              {out.ms.toFixed(1)} ms
            </span>
          </p>
          {out.route && (
            <p className="small" data-testid="demo-route">
              Answered by stage {out.route.stage + 1} of {out.route.stages.length}: <code>{out.route.stages[out.route.stage]}</code>
              {out.route.stage > 0 ? ' (the cheaper stages were unsure)' : ' (the cheapest stage was sure enough)'}
            </p>
          )}
          {out.classes.map((c, k) => (
            <div key={c} className="row" data-testid="demo-bar">
              <span style={{ width: '8em' }}>{c}</span>
              <span style={{ display: 'inline-block', height: '0.8em', width: `${(out.probs[k] * 20).toFixed(2)}em`, background: k === top ? '#2563eb' : '#94a3b8' }} />
              <span className="small">{(out.probs[k] * 100).toFixed(1)}%</span>
            </div>
          ))}
          {out.noExplain && (
            <p className="muted small" data-testid="demo-no-tokens">
              {out.noExplain}
            </p>
          )}
          {out.tokens && (
            <p data-testid="demo-tokens" aria-label={`Tokens for ${out.classes[top]}`}>
              {out.tokens.map((t, i) => (
                <span
                  key={i}
                  title={t.score.toFixed(4)}
                  style={{ background: t.score > 0 ? `rgba(37,99,235,${Math.abs(t.score) / scale})` : `rgba(220,38,38,${Math.abs(t.score) / scale})`, marginRight: '0.25em' }}
                >
                  {t.token}
                </span>
              ))}
            </p>
          )}
        </section>
      )}
    </main>
  );
}
