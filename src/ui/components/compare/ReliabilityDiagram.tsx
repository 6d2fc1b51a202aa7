/**
 * One run's reliability diagram: each non-empty equal-width bin as a point (mean confidence,
 * accuracy), sized by how many examples it holds. Points under the diagonal are overconfident.
 */
import { memo } from 'react';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { ReliabilityDiagram as Diagram } from '../../../core/eval/calibration';
import { num } from '../../util/format';

interface Props {
  name: string;
  color: string;
  diagram: Diagram;
  n: number;
}

const pctTick = (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 100)}%` : String(v));

function ReliabilityDiagramImpl({ name, color, diagram, n }: Props) {
  const points = diagram.bins.filter((b) => b.count > 0).map((b) => ({ x: b.confidence, y: b.accuracy, count: b.count }));
  const caption = `${name}: ECE ${num(diagram.ece, 3)} (${diagram.bins.length} equal-width bins, n = ${n})`;
  return (
    <figure className="chart compare-reliability-chart" aria-label={`Reliability diagram, ${caption}`} data-testid="compare-reliability-run">
      <figcaption>{caption}</figcaption>
      <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 300, height: 220 }}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis
            dataKey="x"
            type="number"
            name="Confidence"
            domain={[0, 1]}
            tickFormatter={pctTick}
            fontSize={11}
            label={{ value: 'confidence', position: 'insideBottom', offset: -8, fontSize: 11 }}
          />
          <YAxis dataKey="y" type="number" name="Accuracy" domain={[0, 1]} tickFormatter={pctTick} fontSize={11} width={44} />
          <ZAxis dataKey="count" type="number" name="Examples" range={[20, 240]} />
          <ReferenceLine
            segment={[
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ]}
            stroke="#9ca3af"
            strokeDasharray="4 4"
            ifOverflow="extendDomain"
          />
          <Tooltip formatter={(v: unknown, key: unknown) => (typeof v === 'number' && key !== 'Examples' ? `${(v * 100).toFixed(1)}%` : String(v))} />
          <Scatter data={points} fill={color} line={{ stroke: color }} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}

export const ReliabilityDiagram = memo(ReliabilityDiagramImpl);
