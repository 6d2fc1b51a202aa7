/** A line chart of one or more series, each with its own points (x = step). */
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Series } from '../util/series';

interface Props {
  title: string;
  series: Series[];
  testId?: string;
  /** Fixed y range, e.g. [0, 1] for accuracy. */
  yDomain?: [number, number];
  xLabel?: string;
  height?: number;
  percent?: boolean;
}

const fmt = (percent: boolean | undefined) => (v: unknown) =>
  typeof v === 'number' ? (percent ? `${(v * 100).toFixed(1)}%` : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : String(v);

function CurveChartImpl({ title, series, testId, yDomain, xLabel = 'step', height = 240, percent }: Props) {
  const shown = series.filter((s) => s.points.length > 0);
  return (
    <figure className="chart" data-testid={testId} aria-label={title}>
      <figcaption>{title}</figcaption>
      {shown.length === 0 ? (
        <p className="muted chart-empty">No points yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 480, height }}>
          <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDuplicatedCategory={false}
              tickFormatter={(v: number) => String(v)}
              label={{ value: xLabel, position: 'insideBottomRight', offset: -2, fontSize: 11 }}
              fontSize={11}
            />
            <YAxis domain={yDomain ?? ['auto', 'auto']} tickFormatter={fmt(percent)} fontSize={11} width={52} />
            <Tooltip formatter={fmt(percent)} labelFormatter={(l) => `${xLabel} ${String(l)}`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {shown.map((s) => (
              <Line
                key={s.name}
                name={s.name}
                data={s.points}
                dataKey="y"
                type="linear"
                stroke={s.color}
                strokeWidth={s.dots ? 2 : 1.5}
                strokeDasharray={s.dashed ? '5 4' : undefined}
                dot={s.dots ? { r: 3 } : false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

export const CurveChart = memo(CurveChartImpl);
