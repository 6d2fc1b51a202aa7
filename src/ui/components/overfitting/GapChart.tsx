/**
 * Train and validation curves of one metric per epoch, the gap between them shaded, and a
 * marker at each epoch where an overfitting monitor raised an alert.
 */
import { memo } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Alert } from '../../../core/guard/monitor';
import type { GapMetric, GapRow } from '../../util/gap';
import { legendOrder } from '../../util/series';

const GAP_ORDER = legendOrder(['gap', 'train', 'validation']);

interface Props {
  metric: GapMetric;
  rows: GapRow[];
  alerts: Alert[];
  testId?: string;
}

const fmt = (metric: GapMetric) => (v: unknown) => (typeof v === 'number' ? (metric === 'accuracy' ? `${(v * 100).toFixed(1)}%` : v.toFixed(3)) : String(v));

function GapChartImpl({ metric, rows, alerts, testId }: Props) {
  const title = metric === 'loss' ? 'Loss: train vs validation' : 'Accuracy: train vs validation';
  const last = rows.at(-1);
  return (
    <figure className="chart" data-testid={testId} aria-label={title}>
      <figcaption>
        {title}
        {last && (
          <span className="muted small">
            {' '}
            · gap at epoch {last.epoch}: {fmt(metric)(last.gap)}
          </span>
        )}
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted chart-empty">No epochs with both a training and a validation value.</p>
      ) : (
        <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 520, height: 260 }}>
          <ComposedChart data={rows} margin={{ top: 16, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="epoch"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDecimals={false}
              fontSize={11}
              label={{ value: 'epoch', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
            />
            <YAxis domain={metric === 'accuracy' ? [0, 1] : ['auto', 'auto']} tickFormatter={fmt(metric)} fontSize={11} width={52} />
            <Tooltip formatter={(v) => (Array.isArray(v) ? v.map(fmt(metric)).join(' – ') : fmt(metric)(v))} labelFormatter={(l) => `epoch ${String(l)}`} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={GAP_ORDER} />
            <Area name="gap" dataKey="band" fill="#fca5a5" fillOpacity={0.45} stroke="none" isAnimationActive={false} />
            <Line name="train" dataKey="train" stroke="#2563eb" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
            <Line name="validation" dataKey="validation" stroke="#dc2626" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
            {alerts.map((a, i) => (
              <ReferenceLine
                key={`${a.rule}-${a.epoch}-${i}`}
                x={a.epoch}
                stroke={a.action === 'halt' ? '#7f1d1d' : '#d97706'}
                strokeDasharray="4 3"
                label={{ value: a.action === 'halt' ? '■ halt' : '▲', position: 'top', fontSize: 11, fill: a.action === 'halt' ? '#7f1d1d' : '#d97706' }}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

export const GapChart = memo(GapChartImpl);
