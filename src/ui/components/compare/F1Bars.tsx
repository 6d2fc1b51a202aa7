/** Per-class F1 on validation, one bar per run in each class group: where does a model win? */
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CompareEntry } from '../../../core/experiment/compare';
import { classUnion, type RunLabel } from '../../util/compare';
import { legendOrder } from '../../util/series';

interface Props {
  entries: CompareEntry[];
  labels: Map<string, RunLabel>;
}

const pctTick = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(0)}%` : String(v));
const pctTip = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v));

export function F1Bars({ entries, labels }: Props) {
  const shown = entries.filter((e) => e.validation?.perClass);
  const data = useMemo(
    () =>
      classUnion(shown).map((cls) => {
        // Keys are run letters: short, unique, and what the legend shows next to the config.
        const row: Record<string, string | number> = { cls };
        for (const e of shown) {
          const f1 = e.validation?.perClass[cls]?.f1;
          if (f1 !== undefined) row[labels.get(e.runId)?.letter ?? e.runId] = f1;
        }
        return row;
      }),
    [shown, labels],
  );
  return (
    <figure className="chart" data-testid="compare-f1-bars" aria-label="Per-class F1 on validation, grouped by class">
      <figcaption>Per-class F1 (validation)</figcaption>
      {shown.length === 0 ? (
        <p className="muted chart-empty">These runs have no per-class validation report.</p>
      ) : (
        <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 480, height: 260 }}>
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
            <XAxis dataKey="cls" fontSize={11} interval={0} />
            <YAxis domain={[0, 1]} tickFormatter={pctTick} fontSize={11} width={44} />
            <Tooltip formatter={pctTip} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={legendOrder(shown.map((e) => labels.get(e.runId)?.name ?? e.configName))} />
            {shown.map((e) => {
              const l = labels.get(e.runId);
              return <Bar key={e.runId} dataKey={l?.letter ?? e.runId} name={l?.name ?? e.configName} fill={l?.color} isAnimationActive={false} />;
            })}
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
