/**
 * Percentile bootstrap confidence intervals, seeded so a report can be reproduced exactly.
 * Every statistic of one call sees the same resampled index sets, so the intervals of
 * different metrics describe the same hypothetical test sets.
 */
import { Rng } from '../util/random';
import { expectedCalibrationError } from './calibration';
import { argmax, exampleLogLoss, macroF1FromConfusion } from './metrics';

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

export type Interval = [number, number];

/** Percentile interval of sorted resampled values, with the index convention of the original helper. */
function percentileInterval(sorted: Float64Array, level: number): Interval {
  const B = sorted.length;
  return [sorted[Math.floor(((1 - level) / 2) * (B - 1))], sorted[Math.ceil((1 - (1 - level) / 2) * (B - 1))]];
}

/** Resampled values of several statistics over the same index sets (unsorted, in resample order). */
export function bootstrapSamples<K extends string>(n: number, statistics: Record<K, (idx: Int32Array) => number>, opts: BootstrapOptions = {}): Record<K, Float64Array> {
  const B = opts.resamples ?? 1000;
  const rng = new Rng(opts.seed ?? 1);
  const keys = Object.keys(statistics) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, new Float64Array(B)])) as Record<K, Float64Array>;
  const idx = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    for (const k of keys) out[k][b] = statistics[k](idx);
  }
  return out;
}

/** Intervals of several statistics from one set of resamples. */
export function bootstrapCIs<K extends string>(n: number, statistics: Record<K, (idx: Int32Array) => number>, opts: BootstrapOptions = {}): Record<K, Interval> {
  const samples = bootstrapSamples(n, statistics, opts);
  const level = opts.level ?? 0.95;
  return Object.fromEntries(Object.entries<Float64Array>(samples).map(([k, v]) => [k, percentileInterval(v.slice().sort(), level)])) as Record<K, Interval>;
}

export function bootstrapCI(n: number, statistic: (idx: Int32Array) => number, opts: BootstrapOptions = {}): Interval {
  return bootstrapCIs(n, { s: statistic }, opts).s;
}

function meanAt(values: ArrayLike<number>, idx: Int32Array): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += values[idx[i]];
  return idx.length ? s / idx.length : 0;
}

/** CI of accuracy from per-example correctness (1/0). */
export function accuracyCI(correct: ArrayLike<number>, opts?: BootstrapOptions): Interval {
  return bootstrapCI(correct.length, (idx) => meanAt(correct, idx), opts);
}

function macroF1At(labels: ArrayLike<number>, pred: ArrayLike<number>, k: number, idx: Int32Array): number {
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < idx.length; i++) cm[labels[idx[i]]][pred[idx[i]]]++;
  return macroF1FromConfusion(cm);
}

export interface HeadlineCIs {
  accuracy: Interval;
  macroF1: Interval;
  ece: Interval;
  logLoss: Interval;
}

/** Bootstrap CIs of the four headline metrics, all from the same resamples. */
export function headlineCIs(labels: ArrayLike<number>, probs: ArrayLike<number>[], k: number, opts: BootstrapOptions & { eceBins?: number } = {}): HeadlineCIs {
  const n = labels.length;
  const pred = probs.map(argmax);
  const correct = Float64Array.from(pred, (p, i) => (p === labels[i] ? 1 : 0));
  const nll = Float64Array.from({ length: n }, (_, i) => exampleLogLoss(labels[i], probs[i]));
  const rows: ArrayLike<number>[] = new Array(n);
  const ys = new Int32Array(n);
  return bootstrapCIs(
    n,
    {
      accuracy: (idx) => meanAt(correct, idx),
      macroF1: (idx) => macroF1At(labels, pred, k, idx),
      ece: (idx) => {
        for (let i = 0; i < n; i++) {
          rows[i] = probs[idx[i]];
          ys[i] = labels[idx[i]];
        }
        return expectedCalibrationError(rows, ys, opts.eceBins ?? 15);
      },
      logLoss: (idx) => meanAt(nll, idx),
    },
    opts,
  );
}

export interface PairedBootstrapResult {
  metric: 'accuracy' | 'macroF1';
  /** metric(A) - metric(B) on the full set. */
  delta: number;
  ci: Interval;
  /** Two-sided p-value of "no difference". */
  pValue: number;
  resamples: number;
}

/**
 * Paired bootstrap of metric(A) - metric(B) on the same examples: each resample draws example
 * indices once and scores both models on them, so the shared difficulty of examples cancels.
 * p-value by the shift method: the resampled deltas, centred on the observed delta, stand in
 * for the null distribution; p = (1 + #{|d_b - delta| >= |delta|}) / (B + 1), which is never 0.
 */
export function pairedBootstrap(
  labels: ArrayLike<number>,
  predA: ArrayLike<number>,
  predB: ArrayLike<number>,
  k: number,
  opts: BootstrapOptions & { metric?: 'accuracy' | 'macroF1' } = {},
): PairedBootstrapResult {
  const metric = opts.metric ?? 'accuracy';
  const n = labels.length;
  if (predA.length !== n || predB.length !== n) throw new RangeError('pairedBootstrap: both models must be scored on the same examples');
  const all = Int32Array.from({ length: n }, (_, i) => i);
  let stat: (idx: Int32Array) => number;
  if (metric === 'accuracy') {
    const diff = Float64Array.from({ length: n }, (_, i) => (predA[i] === labels[i] ? 1 : 0) - (predB[i] === labels[i] ? 1 : 0));
    stat = (idx) => meanAt(diff, idx);
  } else {
    stat = (idx) => macroF1At(labels, predA, k, idx) - macroF1At(labels, predB, k, idx);
  }
  const delta = stat(all);
  const samples = bootstrapSamples(n, { d: stat }, opts).d;
  let extreme = 0;
  for (const d of samples) if (Math.abs(d - delta) >= Math.abs(delta) - 1e-12) extreme++;
  return {
    metric,
    delta,
    ci: percentileInterval(samples.slice().sort(), opts.level ?? 0.95),
    pValue: Math.min(1, (1 + extreme) / (samples.length + 1)),
    resamples: samples.length,
  };
}
