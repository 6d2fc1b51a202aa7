/**
 * What the validation report says beyond accuracy: every headline metric with its bootstrap
 * interval, the confusions the model makes most, and the mistakes it was surest about.
 */
import { displayText } from '../util/text';
import type { ValidationAnalysis } from '../../core/experiment/analysis';
import { num, pct } from '../util/format';

const ci = (x: [number, number] | undefined, f: (v: number) => string) => (x ? ` [${f(x[0])}, ${f(x[1])}]` : '');

export function ValidationAnalysisView({ analysis }: { analysis: ValidationAnalysis }) {
  const p2 = (v: number) => pct(v, 1);
  const n3 = (v: number) => num(v, 3);
  return (
    <section className="analysis" data-testid="validation-analysis" aria-label="Validation analysis">
      <h4>Validation analysis ({analysis.n} examples, 95% bootstrap intervals)</h4>
      <dl className="result-grid">
        <dt>Accuracy</dt>
        <dd data-testid="analysis-accuracy">
          {pct(analysis.accuracy, 2)}
          {ci(analysis.ci95, p2)}
        </dd>
        <dt>Macro-F1</dt>
        <dd>
          {pct(analysis.macroF1, 2)}
          {ci(analysis.ciMacroF1, p2)}
        </dd>
        <dt>ECE (15 bins)</dt>
        <dd>
          {num(analysis.ece, 3)}
          {ci(analysis.ciEce, n3)}
        </dd>
        <dt>Log loss</dt>
        <dd>
          {num(analysis.logLoss, 3)}
          {ci(analysis.ciLogLoss, n3)}
        </dd>
        <dt>Brier · top-2</dt>
        <dd>
          {num(analysis.brier, 3)} · {pct(analysis.top2, 1)}
        </dd>
        {analysis.calibration && (
          <>
            <dt>Calibration ({analysis.calibration.method})</dt>
            <dd data-testid="analysis-calibration" title={`Before: ${analysis.calibration.before}; after: the ${analysis.calibration.method} calibration map`}>
              ECE {num(analysis.calibration.eceBefore, 3)} → {num(analysis.calibration.eceAfter, 3)} · log loss {num(analysis.calibration.logLossBefore, 3)} →{' '}
              {num(analysis.calibration.logLossAfter, 3)}
            </dd>
          </>
        )}
      </dl>
      {analysis.confusedPairs.length > 0 && (
        <>
          <h5>Most confused</h5>
          <ul className="small" data-testid="confused-pairs">
            {analysis.confusedPairs.map((p) => (
              <li key={`${p.from}-${p.to}`}>
                <strong>
                  {p.from} → {p.to}
                </strong>
                : {p.count} ({pct(p.rate, 1)} of {p.from}){p.examples[0] && <span className="muted"> — e.g. “{displayText(p.examples[0], 140)}”</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {analysis.misclassified.length > 0 && (
        <details>
          <summary>Most confident mistakes ({analysis.misclassified.length})</summary>
          <table className="small misclassified" data-testid="misclassified">
            <thead>
              <tr>
                <th scope="col">Text</th>
                <th scope="col">True</th>
                <th scope="col">Predicted</th>
                <th scope="col" className="num">
                  Confidence
                </th>
              </tr>
            </thead>
            <tbody>
              {analysis.misclassified.map((m) => (
                <tr key={m.index}>
                  <td>{displayText(m.text, 200)}</td>
                  <td>{m.label}</td>
                  <td>{m.predicted}</td>
                  <td className="num">{pct(m.confidence, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
