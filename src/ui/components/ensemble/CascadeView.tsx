/**
 * A cascade on validation: accuracy against cost over the thresholds tried, with the chosen
 * operating point marked, and how many texts each stage answers and how well.
 */
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CascadeReport, EnsembleMemberInfo } from '../../../core/lab/ensemble-api';
import { num, pct } from '../../util/format';

/** A skipped stage (no text stops there): Infinity from the worker, null once the report went through JSON. */
const isSkipped = (t: number | null) => t === null || !Number.isFinite(t);

interface Props {
  cascade: CascadeReport;
  members: EnsembleMemberInfo[];
}

export function CascadeView({ cascade, members }: Props) {
  const curve = cascade.curve.filter((p) => Number.isFinite(p.secondsPer1000) && Number.isFinite(p.accuracy)).sort((a, b) => a.secondsPer1000 - b.secondsPer1000);
  const chosen = cascade.curve[cascade.chosen];
  const name = (runId: string) => members.find((m) => m.runId === runId)?.configName ?? runId;
  return (
    <section className="card" data-testid="cascade-view" aria-label="Cascade">
      <h4>Cascade</h4>
      <p className="facts" data-testid="cascade-summary">
        <span>
          accuracy <strong>{pct(cascade.accuracy, 2)}</strong>
        </span>
        <span>
          escalated to the last stage <strong>{pct(cascade.escalated, 1)}</strong>
        </span>
        <span>
          cost <strong>{num(cascade.costRatio, 2)}×</strong> the strongest member alone
        </span>
      </p>
      <figure className="chart" data-testid="cascade-curve" aria-label="Validation accuracy against cost over the thresholds tried">
        <figcaption>Accuracy against cost (validation)</figcaption>
        {curve.length === 0 ? (
          <p className="muted chart-empty">No thresholds were tried.</p>
        ) : (
          <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 480, height: 260 }}>
            <LineChart margin={{ top: 12, right: 24, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis
                dataKey="x"
                type="number"
                domain={['auto', 'auto']}
                fontSize={11}
                tickFormatter={(v: number) => num(v, 2)}
                label={{ value: 's / 1,000 texts', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
              />
              <YAxis type="number" domain={['auto', 'auto']} tickFormatter={(v: number) => pct(v, 1)} fontSize={11} width={52} />
              <Tooltip formatter={(v: unknown) => (typeof v === 'number' ? pct(v, 2) : String(v))} labelFormatter={(l) => `${num(Number(l), 3)} s / 1,000 texts`} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Line
                name="thresholds tried"
                data={curve.map((p) => ({ x: p.secondsPer1000, y: p.accuracy, threshold: p.threshold }))}
                dataKey="y"
                stroke="#2563eb"
                dot={{ r: 2 }}
                isAnimationActive={false}
              />
              {chosen && <ReferenceDot x={chosen.secondsPer1000} y={chosen.accuracy} r={6} fill="#dc2626" stroke="#fff" ifOverflow="extendDomain" />}
            </LineChart>
          </ResponsiveContainer>
        )}
        {chosen && (
          <p className="small" data-testid="cascade-chosen">
            <span className="ensemble-dot" aria-hidden="true" /> Chosen:{' '}
            {isSkipped(chosen.threshold) ? 'every text skips the first stage' : `first-stage threshold ${num(chosen.threshold, 3)}`}, {num(chosen.secondsPer1000, 3)} s per 1,000
            texts, accuracy {pct(chosen.accuracy, 2)}.
          </p>
        )}
      </figure>
      <div className="table-wrap">
        <table className="ensemble-table" data-testid="cascade-stages">
          <caption>Stages (validation)</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Stops when sure at
              </th>
              <th scope="col" className="num">
                Answers
              </th>
              <th scope="col" className="num">
                Accuracy there
              </th>
            </tr>
          </thead>
          <tbody>
            {cascade.stages.map((s, i) => (
              <tr key={s.runId} data-testid="cascade-stage">
                <th scope="row">
                  {i + 1} · {name(s.runId)}
                </th>
                <td className="num">
                  {i === cascade.stages.length - 1 ? 'everything left' : isSkipped(s.threshold) ? 'skipped' : `top probability ≥ ${num(s.threshold ?? undefined, 3)}`}
                </td>
                <td className="num">
                  <span className="ensemble-weight">
                    <span className="ensemble-weight-track">
                      <span className="ensemble-weight-fill" style={{ width: `${Math.min(1, Math.max(0, s.coverage)) * 100}%` }} />
                    </span>
                    {pct(s.coverage, 1)}
                  </span>
                </td>
                <td className="num">{pct(s.accuracy, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
