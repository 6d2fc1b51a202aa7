/** Validation accuracy against the number of distinct members along the greedy selection path, with the best single member for reference. */
import { useMemo } from 'react';
import type { EnsembleReport } from '../../../core/lab/ensemble-api';
import type { Series } from '../../util/series';
import { CurveChart } from '../CurveChart';

export function SizeCurve({ report }: { report: EnsembleReport }) {
  const { series, domain } = useMemo(() => {
    const path = (report.bySize ?? []).map((p) => ({ x: p.size, y: p.accuracy }));
    const best = Math.max(...report.members.map((m) => m.accuracy));
    const xs = path.map((p) => p.x);
    const flat = xs.length ? [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, y: best })) : [];
    const series: Series[] = [
      { name: 'ensemble', color: '#7c3aed', points: path, dots: true },
      { name: 'best member', color: '#6b7280', points: flat, dashed: true },
    ];
    // Differences of a point or two matter here: a range from 0 would flatten them.
    const ys = [...path.map((p) => p.y), best].filter(Number.isFinite);
    const lo = Math.max(0, Math.floor((Math.min(...ys) - 0.01) * 100) / 100);
    const hi = Math.min(1, Math.ceil((Math.max(...ys) + 0.01) * 100) / 100);
    return { series, domain: ys.length ? ([lo, hi] as [number, number]) : undefined };
  }, [report]);
  return (
    <CurveChart
      title="Accuracy against number of members (validation)"
      series={series}
      yDomain={domain}
      testId="ensemble-size-curve"
      xLabel="members"
      percent
      emptyText="This ensemble has no selection path to show."
    />
  );
}
