/** Examples per class in each split, as a small grouped bar chart. */
import { memo, useMemo } from 'react';
import { Bar, BarChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { legendOrder } from '../util/series';

const SPLIT_ORDER = legendOrder(['train', 'validation', 'test']);

interface Props {
  classes: string[];
  counts: { train: number[]; validation: number[]; test: number[] };
}

function ClassBalanceChartImpl({ classes, counts }: Props) {
  const data = useMemo(
    () =>
      classes.map((c, i) => ({
        name: c,
        train: counts.train?.[i] ?? 0,
        validation: counts.validation?.[i] ?? 0,
        test: counts.test?.[i] ?? 0,
      })),
    [classes, counts],
  );
  const hasTest = data.some((d) => d.test > 0);
  const hasVal = data.some((d) => d.validation > 0);
  return (
    <figure className="chart chart-small" data-testid="class-balance" aria-label="Class balance">
      <figcaption>Class balance</figcaption>
      <ResponsiveContainer width="100%" height={150} initialDimension={{ width: 320, height: 150 }}>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis dataKey="name" fontSize={10} interval={0} tickFormatter={(v: string) => (v.length > 10 ? v.slice(0, 9) + '…' : v)} />
          <YAxis fontSize={10} width={44} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 11 }} itemSorter={SPLIT_ORDER} />
          <Bar dataKey="train" fill="#2563eb" isAnimationActive={false} />
          {hasVal && <Bar dataKey="validation" fill="#16a34a" isAnimationActive={false} />}
          {hasTest && <Bar dataKey="test" fill="#9ca3af" isAnimationActive={false} />}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export const ClassBalanceChart = memo(ClassBalanceChartImpl);
