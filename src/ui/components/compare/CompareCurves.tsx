/** Validation accuracy and loss per epoch, overlaid: did a run converge, or stop early? */
import { useEffect, useMemo, useState } from 'react';
import type { MetricRow } from '../../../core/experiment/result';
import { lab } from '../../lab-client';
import type { RunLabel } from '../../util/compare';
import { validationPoints } from '../../util/metrics';
import type { Series } from '../../util/series';
import { CurveChart } from '../CurveChart';

interface Props {
  runIds: string[];
  labels: Map<string, RunLabel>;
}

/** Metric rows of each run; a run that fails to load just has no curve (the table still shows it). */
function useMetrics(runIds: string[]): Map<string, MetricRow[]> {
  const key = runIds.join('|');
  const [metrics, setMetrics] = useState<Map<string, MetricRow[]>>(new Map());
  useEffect(() => {
    let alive = true;
    const ids = key ? key.split('|') : [];
    Promise.allSettled(ids.map((id) => lab().getRun(id))).then((all) => {
      if (!alive) return;
      const out = new Map<string, MetricRow[]>();
      all.forEach((r, i) => r.status === 'fulfilled' && out.set(ids[i], r.value.metrics));
      setMetrics(out);
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return metrics;
}

function curves(runIds: string[], labels: Map<string, RunLabel>, metrics: Map<string, MetricRow[]>, name: 'accuracy' | 'loss'): Series[] {
  return runIds.map((id) => {
    const l = labels.get(id);
    return { name: `${l?.name ?? id} ${name}`, color: l?.color ?? '#2563eb', points: validationPoints(metrics.get(id) ?? [], name), dots: true };
  });
}

export function CompareCurves({ runIds, labels }: Props) {
  const metrics = useMetrics(runIds);
  const acc = useMemo(() => curves(runIds, labels, metrics, 'accuracy'), [runIds, labels, metrics]);
  const loss = useMemo(() => curves(runIds, labels, metrics, 'loss'), [runIds, labels, metrics]);
  return (
    <section className="card" aria-labelledby="compare-curves-h" data-testid="compare-curves">
      <h3 id="compare-curves-h">Validation curves</h3>
      <p className="muted small">Per-epoch validation scores; single-pass models (Naive Bayes, closed-form fits) have one point or none.</p>
      <div className="charts">
        <CurveChart title="Validation accuracy" series={acc} testId="compare-chart-accuracy" yDomain={[0, 1]} percent />
        <CurveChart title="Validation loss" series={loss} testId="compare-chart-loss" />
      </div>
    </section>
  );
}
