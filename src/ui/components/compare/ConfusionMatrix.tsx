/** One run's validation confusion matrix as a table, cells shaded by share of the true class. */
import type { RunLabel } from '../../util/compare';
import { heatColor, heatTextDark } from '../../util/compare';
import { int } from '../../util/format';

interface Props {
  label: RunLabel | undefined;
  configName: string;
  classes: string[];
  matrix: number[][];
}

export function ConfusionMatrix({ label, configName, classes, matrix }: Props) {
  const name = label?.name ?? configName;
  return (
    <div className="table-wrap compare-confusion-one">
      <table className="compare-confusion-table" data-testid="compare-confusion-run">
        <caption>
          <span className="compare-swatch" style={{ background: label?.color }} aria-hidden="true" />
          {name}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="small">
              true \ predicted
            </th>
            {classes.map((c) => (
              <th key={c} scope="col" className="num small">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {classes.map((c, i) => {
            const row = matrix[i] ?? [];
            const total = row.reduce((s, x) => s + x, 0);
            return (
              <tr key={c}>
                <th scope="row" className="small">
                  {c}
                </th>
                {classes.map((p, j) => {
                  const v = row[j] ?? 0;
                  return (
                    <td
                      key={p}
                      className={`num${heatTextDark(v, total) ? ' compare-heat-dark' : ''}`}
                      style={{ background: heatColor(v, total, i === j) }}
                      title={`${c} predicted as ${p}: ${v} of ${total}`}
                    >
                      {int(v)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
