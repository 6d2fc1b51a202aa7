/** A line chart of one or more series, each with its own points (x = step). */
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { legendOrder, valueDomain, type Series } from '../util/series';

interface Props {
  title: string;
  series: Series[];
  testId?: string;
  /** Fixed y range, e.g. [0, 1] for accuracy. */
  yDomain?: [number, number];
  xLabel?: string;
  height?: number;
  percent?: boolean;
  /** Shown in place of the chart while no series has a point. */
  emptyText?: string;
  /** Whole-number x ticks (steps, epochs); false for continuous x such as cost. */
  integerX?: boolean;
}

const fmt = (percent: boolean | undefined) => (v: unknown) =>
  typeof v === 'number' ? (percent ? `${(v * 100).toFixed(1)}%` : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : String(v);

function CurveChartImpl({ title, series, testId, yDomain, xLabel = 'step', height = 240, percent, emptyText = 'No points yet.', integerX = true }: Props) {
  const shown = series.filter((s) => s.points.length > 0);
  const domain = yDomain ?? valueDomain(shown);
  return (
    <figure className="chart" data-testid={testId} aria-label={title}>
      <figcaption>{title}</figcaption>
      {shown.length === 0 ? (
        <p className="muted chart-empty">{emptyText}</p>
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 480, height }}>
          <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDuplicatedCategory={false}
              allowDecimals={!integerX}
              padding={{ left: 10, right: 10 }}
              tickFormatter={(v: number) => String(v)}
              label={{ value: xLabel, position: 'insideBottomRight', offset: -2, fontSize: 11 }}
              fontSize={11}
            />
            <YAxis domain={domain} tickFormatter={fmt(percent)} fontSize={11} width={52} padding={{ top: 6, bottom: 0 }} />
            <Tooltip formatter={fmt(percent)} labelFormatter={(l) => `${xLabel} ${String(l)}`} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={legendOrder(shown.map((s) => s.name))} />
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
