/**
 * Hyper-parameter search over any Estimator factory, scored on the validation split only (the
 * test split never reaches training code): every grid point here, sampled points in
 * random-search.ts. Each point is fitted from scratch with the same seed so scores differ only
 * by the parameters.
 */
import type { Example } from '../../data/types';
import type { Estimator, FitContext } from '../estimator';
import { throwIfAborted } from '../../util/errors';

export type Grid = Record<string, readonly unknown[]>;

export interface GridPointResult {
  params: Record<string, unknown>;
  accuracy: number;
  macroF1: number;
  /** The metric the search ranks by. */
  score: number;
  fitSeconds: number;
}

export interface GridSearchResult {
  results: GridPointResult[];
  best: GridPointResult;
}

export interface GridSearchContext extends Omit<FitContext, 'validation'> {
  metric?: 'accuracy' | 'macroF1';
}

/** Every combination of the grid's values, in key order then value order. */
export function expandGrid(grid: Grid): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    const next: Record<string, unknown>[] = [];
    for (const p of points) for (const v of values) next.push({ ...p, [key]: v });
    points = next;
  }
  return points;
}

/** Accuracy and macro-F1 of arg-max predictions. */
export function scorePredictions(probs: ArrayLike<number>[], labels: ArrayLike<number>, nClasses: number): { accuracy: number; macroF1: number } {
  const tp = new Float64Array(nClasses);
  const fp = new Float64Array(nClasses);
  const fn = new Float64Array(nClasses);
  let correct = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    let b = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[b]) b = k;
    if (b === labels[i]) {
      correct++;
      tp[b]++;
    } else {
      fp[b]++;
      fn[labels[i]]++;
    }
  }
  let f1 = 0;
  for (let k = 0; k < nClasses; k++) {
    const denom = 2 * tp[k] + fp[k] + fn[k];
    f1 += denom > 0 ? (2 * tp[k]) / denom : 0;
  }
  return { accuracy: probs.length ? correct / probs.length : 0, macroF1: f1 / nClasses };
}

/** Fits and scores each point in order; the best is the first with the highest score. */
export async function searchPoints(
  makeEstimator: (params: Record<string, unknown>) => Estimator,
  points: Record<string, unknown>[],
  train: Example[],
  validation: Example[],
  ctx: GridSearchContext,
): Promise<GridSearchResult> {
  if (validation.length === 0) throw new Error('A hyper-parameter search needs a non-empty validation split');
  if (points.length === 0) throw new Error('A hyper-parameter search needs at least one point');
  const metric = ctx.metric ?? 'accuracy';
  const results: GridPointResult[] = [];
  const texts = validation.map((e) => e.text);
  const labels = validation.map((e) => e.label);
  for (let i = 0; i < points.length; i++) {
    throwIfAborted(ctx.signal);
    ctx.onEvent?.({ type: 'phase', phase: 'grid-search', done: i, total: points.length });
    const est = makeEstimator(points[i]);
    try {
      const t0 = Date.now();
      await est.fit(train, { classes: ctx.classes, seed: ctx.seed, signal: ctx.signal });
      const fitSeconds = (Date.now() - t0) / 1000;
      const s = scorePredictions(await est.predictProba(texts), labels, ctx.classes.length);
      results.push({ params: points[i], ...s, score: s[metric], fitSeconds });
      ctx.onEvent?.({ type: 'log', level: 'info', message: `grid ${i + 1}/${points.length} ${JSON.stringify(points[i])}: ${metric} ${s[metric].toFixed(4)}` });
    } finally {
      est.dispose();
    }
  }
  ctx.onEvent?.({ type: 'phase', phase: 'grid-search', done: points.length, total: points.length });
  // Ties keep the earlier point: deterministic and favours the first-listed values.
  const best = results.reduce((a, b) => (b.score > a.score ? b : a));
  return { results, best };
}

/** Every combination of `grid`, fitted and scored on validation. */
export function gridSearch(
  makeEstimator: (params: Record<string, unknown>) => Estimator,
  grid: Grid,
  train: Example[],
  validation: Example[],
  ctx: GridSearchContext,
): Promise<GridSearchResult> {
  return searchPoints(makeEstimator, expandGrid(grid), train, validation, ctx);
}
