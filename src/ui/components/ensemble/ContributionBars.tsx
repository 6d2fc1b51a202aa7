/**
 * Each member's marginal contribution: the ensemble's validation accuracy with every member
 * minus its accuracy without this one. A member below zero makes the ensemble worse.
 */
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EnsembleMemberInfo } from '../../../core/lab/ensemble-api';
import type { DiversityReport } from '../../../core/models/ensemble/diversity';
import { ppText } from '../../util/compare';

interface Props {
  members: EnsembleMemberInfo[];
  diversity: DiversityReport;
}

export function ContributionBars({ members, diversity }: Props) {
  const data = members.map((m, i) => ({ name: `${i + 1} · ${m.configName}`, pp: (diversity.contribution[i] ?? NaN) * 100 })).filter((d) => Number.isFinite(d.pp));
  return (
    <figure className="chart" data-testid="ensemble-contribution" aria-label="Each member's contribution to the ensemble's validation accuracy">
      <figcaption>Contribution of each member (validation)</figcaption>
      {data.length === 0 ? (
        <p className="muted chart-empty">A single member has no contribution to measure.</p>
      ) : (
        <ResponsiveContainer width="100%" height={Math.max(120, 40 + data.length * 32)} initialDimension={{ width: 480, height: 160 }}>
          <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" horizontal={false} />
            <XAxis type="number" fontSize={11} tickFormatter={(v: number) => `${v.toFixed(1)} pp`} domain={['auto', 'auto']} />
            <YAxis type="category" dataKey="name" fontSize={11} width={150} />
            <Tooltip formatter={(v: unknown) => (typeof v === 'number' ? ppText(v / 100, 2) : String(v))} />
            <ReferenceLine x={0} stroke="#6b7280" />
            <Bar dataKey="pp" name="accuracy with it − without it" isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.name} fill={d.pp >= 0 ? '#16a34a' : '#dc2626'} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
      <p className="small muted">Ensemble of all members {((diversity.ensembleAccuracy ?? NaN) * 100).toFixed(2)}%; each bar is what removing that member would cost.</p>
    </figure>
  );
}
