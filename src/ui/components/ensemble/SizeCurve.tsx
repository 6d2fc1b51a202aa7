/** Validation accuracy against the number of distinct members along the greedy selection path, with the best single member for reference. */
import { useMemo } from 'react';
import type { EnsembleReport } from '../../../core/lab/ensemble-api';
import type { Series } from '../../util/series';
import { CurveChart } from '../CurveChart';

export function SizeCurve({ report }: { report: EnsembleReport }) {
  const series = useMemo<Series[]>(() => {
    const path = (report.bySize ?? []).map((p) => ({ x: p.size, y: p.accuracy }));
    const best = Math.max(...report.members.map((m) => m.accuracy));
    const xs = path.map((p) => p.x);
    const flat = xs.length ? [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, y: best })) : [];
    return [
      { name: 'ensemble', color: '#7c3aed', points: path, dots: true },
      { name: 'best member', color: '#6b7280', points: flat, dashed: true },
    ];
  }, [report]);
  return (
    <CurveChart
      title="Accuracy against number of members (validation)"
      series={series}
      testId="ensemble-size-curve"
      xLabel="members"
      percent
      emptyText="This ensemble has no selection path to show."
    />
  );
}
