/**
 * Accuracy against a chosen cost, one labelled point per run: the runs worth keeping are the
 * ones no other run beats on both axes (up and to the left).
 */
import { useId, useMemo, useState } from 'react';
import { CartesianGrid, LabelList, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { CompareEntry } from '../../../core/experiment/compare';
import { COSTS, valAccuracy, type CostKey, type RunLabel } from '../../util/compare';
import { pct } from '../../util/format';
import { legendOrder } from '../../util/series';

interface Props {
  entries: CompareEntry[];
  labels: Map<string, RunLabel>;
}

export function CostScatter({ entries, labels }: Props) {
  const id = useId();
  const [key, setKey] = useState<CostKey>('trainSeconds');
  const [log, setLog] = useState(false);
  const cost = COSTS.find((c) => c.key === key)!;
  const points = useMemo(
    () =>
      entries
        .map((e) => ({ e, x: cost.of(e), y: valAccuracy(e), label: labels.get(e.runId) }))
        .filter((p): p is typeof p & { x: number; y: number } => Number.isFinite(p.x) && Number.isFinite(p.y) && (!log || (p.x as number) > 0)),
    [entries, labels, cost, log],
  );
  return (
    <figure className="chart" data-testid="compare-scatter" aria-label={`Validation accuracy against ${cost.label}`}>
      <figcaption>Accuracy vs cost</figcaption>
      <div className="row small">
        <label htmlFor={`${id}-cost`}>Cost</label>
        <select id={`${id}-cost`} value={key} onChange={(ev) => setKey(ev.target.value as CostKey)} className="compare-select">
          {COSTS.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={log} onChange={(ev) => setLog(ev.target.checked)} /> log scale
        </label>
      </div>
      {points.length === 0 ? (
        <p className="muted chart-empty">No run has this cost recorded.</p>
      ) : (
        <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 480, height: 260 }}>
          <ScatterChart margin={{ top: 20, right: 24, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="x"
              type="number"
              name={cost.label}
              scale={log ? 'log' : 'auto'}
              domain={log ? ['auto', 'auto'] : [0, 'auto']}
              fontSize={11}
              tickFormatter={(v: number) => cost.format(v)}
            />
            <YAxis dataKey="y" type="number" name="Val. accuracy" domain={['auto', 'auto']} tickFormatter={(v: number) => pct(v, 1)} fontSize={11} width={52} />
            <Tooltip formatter={(v: unknown, name: unknown) => (typeof v !== 'number' ? String(v) : name === 'Val. accuracy' ? pct(v, 2) : cost.format(v))} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={legendOrder(points.map((p) => p.label?.name ?? p.e.configName))} />
            {points.map((p) => (
              <Scatter key={p.e.runId} name={p.label?.name ?? p.e.configName} data={[{ x: p.x, y: p.y }]} fill={p.label?.color} isAnimationActive={false}>
                {/* Just the letter at the point: full names would collide when runs cost about the same. */}
                <LabelList dataKey="x" position="top" offset={8} fontSize={12} fontWeight={600} formatter={() => p.label?.letter ?? ''} />
              </Scatter>
            ))}
          </ScatterChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
