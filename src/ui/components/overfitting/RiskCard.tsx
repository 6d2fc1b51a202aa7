/** The run's overfitting risk score with the components that make it up and what to do next. */
import type { RiskReport } from '../../../core/guard/risk';
import { riskHeadline, riskReportHtml } from '../../../core/guard/risk-html';
import { downloadText } from '../../util/download';

interface Props {
  risk: RiskReport;
  runId: string;
  /** The guard's record of a refused config that ran anyway. */
  safety?: { overridden: boolean; reason?: string };
}

const NAMES: Record<RiskReport['components'][number]['name'], string> = {
  'generalisation-gap': 'Generalisation gap',
  'validation-trend': 'Validation trend',
  'train-saturation': 'Training saturation',
  'config-findings': 'Config checks',
  'live-alerts': 'Live alerts',
  override: 'Override',
};

export function RiskCard({ risk, runId, safety }: Props) {
  // Reports saved before `judged` existed always had a score to show.
  const judged = risk.judged !== false;
  return (
    <section className={`card risk ${judged ? `risk-${risk.level}` : 'risk-unjudged'}`} data-testid="risk-card" aria-label="Overfitting risk">
      <div className="row spread">
        {judged ? (
          <h4>
            Overfitting risk: <span data-testid="risk-score">{risk.score}</span>/100 <span className={`risk-level risk-level-${risk.level}`}>{risk.level}</span>
          </h4>
        ) : (
          <h4 data-testid="risk-unjudged">Overfitting risk: {riskHeadline(risk).replace(/^Not applicable: /, 'not applicable, ')}</h4>
        )}
        <div className="row">
          <button type="button" onClick={() => downloadText(`risk-${runId}.html`, riskReportHtml(risk), 'text/html')} data-testid="risk-download-html">
            Download HTML
          </button>
          <button type="button" onClick={() => downloadText(`risk-${runId}.json`, JSON.stringify(risk, null, 2), 'application/json')}>
            Download JSON
          </button>
        </div>
      </div>
      {safety?.overridden && (
        <p className="warn-text" data-testid="risk-override">
          The pre-training checks refused this config; it ran under an override: “{safety.reason}”.
        </p>
      )}
      <table className="risk-components">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col" className="num">
              Weight
            </th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {risk.components.map((c) => (
            <tr key={c.name} data-testid="risk-component">
              <th scope="row">{NAMES[c.name] ?? c.name}</th>
              <td className="num">
                {c.weight === 0 ? (
                  <span className="muted">n/a</span>
                ) : (
                  <>
                    <span className="meter" style={{ ['--v' as string]: `${c.score}%` }} aria-hidden="true" />
                    {c.score}
                  </>
                )}
              </td>
              <td className="num">{c.weight.toFixed(2)}</td>
              <td className="small">{c.explanation}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {risk.recommendations.length > 0 && (
        <>
          <h5>What to do</h5>
          <ul className="small" data-testid="risk-recommendations">
            {risk.recommendations.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
