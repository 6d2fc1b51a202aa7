/** Curves from stored metric rows (metrics.jsonl lines) of a finished run. */
import type { MetricRow } from '../../core/experiment/result';
import { thin, type Point } from './series';

export function metricPoints(rows: MetricRow[], kind: 'step' | 'epoch', field: string): Point[] {
  const out: Point[] = [];
  for (const r of rows) {
    if (r.kind !== kind) continue;
    const v = r[field];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ x: r.step, y: v });
  }
  return thin(out);
}

/** The validation curve of a run, by step: epoch rows' `val_<name>`, else `<name>` if that is all there is. */
export function validationPoints(rows: MetricRow[], name: 'loss' | 'accuracy' | 'macroF1'): Point[] {
  return metricPoints(rows, 'epoch', `val_${name}`);
}
