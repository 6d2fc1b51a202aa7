/** The members of an ensemble or cascade: their own validation accuracy, weight and contribution. */
import type { EnsembleReport } from '../../../core/lab/ensemble-api';
import { pct } from '../../util/format';
import { ppText } from '../../util/compare';

interface Props {
  report: EnsembleReport;
}

export function MembersTable({ report }: Props) {
  const { members } = report;
  const best = Math.max(...members.map((m) => m.accuracy));
  const hasWeights = members.some((m) => m.weight !== undefined);
  // A cascade does not vote: the members' contributions to a vote would describe another model.
  const diversity = report.cascade ? undefined : report.diversity;
  return (
    <div className="table-wrap">
      <table className="ensemble-table" data-testid="ensemble-members">
        <caption>{report.kind === 'cascade' ? 'Stages, in the order texts reach them' : 'Members'} (accuracy on validation)</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Member</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Accuracy
            </th>
            {hasWeights && <th scope="col">Weight</th>}
            {diversity && (
              <th scope="col" className="num" title="Ensemble accuracy with every member minus without this one">
                Contribution
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {members.map((m, i) => (
            <tr key={m.runId} data-testid="ensemble-member" data-run-id={m.runId}>
              <td>{i + 1}</td>
              <th scope="row">
                {m.configName} <span className="muted small">{m.runId}</span>
              </th>
              <td>{m.model}</td>
              <td className={`num${m.accuracy === best && members.length > 1 ? ' compare-best' : ''}`}>{pct(m.accuracy, 2)}</td>
              {hasWeights && (
                <td>
                  {m.weight === undefined ? (
                    '–'
                  ) : (
                    <span className="ensemble-weight" title={`weight ${m.weight.toFixed(3)}`}>
                      <span className="ensemble-weight-track">
                        <span className="ensemble-weight-fill" style={{ width: `${Math.min(1, Math.max(0, m.weight)) * 100}%` }} />
                      </span>
                      <span className="num small">{m.weight === 0 ? 'dropped' : m.weight.toFixed(3)}</span>
                    </span>
                  )}
                </td>
              )}
              {diversity && <td className="num">{ppText(diversity.contribution[i], 2)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
