/**
 * Inference speed of any Estimator. Uses `performance.now()` (browsers, workers and Node all
 * have it), so the same numbers can be taken in the page and in the terminal. Size figures
 * (parameters, model bytes) are not measured here: the result record already holds them.
 */
import type { Estimator } from '../models/estimator';

/** Only prediction is needed, so fakes and wrapped models qualify. */
export type Predictor = Pick<Estimator, 'predictProba'>;

/** Linear interpolation between order statistics (numpy's default), q in [0, 1]. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * Texts per second when predicting in batches of `batchSize`. One warm-up batch runs first
 * (untimed) because the first call pays for lazy initialisation: shader compilation, JIT.
 */
export async function measureThroughput(estimator: Predictor, texts: string[], opts: { batchSize?: number; warmup?: boolean } = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 32;
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be at least 1, got ${batchSize}`);
  if (texts.length === 0) return 0;
  if (opts.warmup ?? true) await estimator.predictProba(texts.slice(0, batchSize));
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += batchSize) await estimator.predictProba(texts.slice(i, i + batchSize));
  const seconds = Math.max((performance.now() - t0) / 1000, 1e-9);
  return texts.length / seconds;
}

export interface LatencyStats {
  /** Calls timed. */
  n: number;
  p50: number;
  p95: number;
  mean: number;
}

/**
 * Batch-1 latency in milliseconds over `n` calls (cycling through `texts`), after one untimed
 * warm-up call: the figure an interactive user feels, one headline at a time.
 */
export async function measureLatency(estimator: Predictor, texts: string[], opts: { n?: number; warmup?: number } = {}): Promise<LatencyStats> {
  if (texts.length === 0) throw new RangeError('measureLatency needs at least one text');
  const n = opts.n ?? Math.min(texts.length, 100);
  for (let i = 0; i < (opts.warmup ?? 1); i++) await estimator.predictProba([texts[i % texts.length]]);
  const ms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await estimator.predictProba([texts[i % texts.length]]);
    ms[i] = performance.now() - t0;
  }
  return { n, p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), mean: n ? ms.reduce((a, b) => a + b, 0) / n : NaN };
}

export interface SizeFigures {
  parameters: number;
  modelBytes: number;
  trainSeconds: number;
  totalSeconds: number;
}

/** Size and training cost as recorded when the run finished. */
export function sizeFromResult(result: { parameters: number; modelBytes: number; timings: { trainSeconds: number; totalSeconds: number } }): SizeFigures {
  return { parameters: result.parameters, modelBytes: result.modelBytes, trainSeconds: result.timings.trainSeconds, totalSeconds: result.timings.totalSeconds };
}

/** Efficiency figures a finished run records (result.json's `efficiency`). */
export interface Efficiency {
  /** Prediction throughput, batches of 64. */
  textsPerSecond: number;
  /** Batch-1 latency (one text per call), milliseconds. */
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Highest JS heap seen during the run, when the platform reports it. */
  peakHeapBytes?: number;
  /** Highest tensor memory (TF.js `numBytes`) seen during training, for tensor models. */
  peakTensorBytes?: number;
}
