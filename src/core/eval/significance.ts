/**
 * Is model A really better than model B? Tests for the two ways runs are compared:
 * on the same test examples (McNemar, per example) and across training seeds (paired t-test,
 * per seed), plus Bonferroni's correction when several models face one baseline.
 */
import { logChoose, logSumExp, studentTTwoSided } from './special';

export interface McNemarResult {
  /** Examples A got right and B got wrong. */
  b: number;
  /** Examples B got right and A got wrong. */
  c: number;
  pValue: number;
}

/**
 * Exact McNemar test: under "equal error rates" each discordant example is a fair coin, so
 * p = min(1, 2 * sum_{i <= min(b,c)} C(b+c, i) 0.5^(b+c)). Summed in log space because
 * 0.5^(b+c) underflows once b + c passes about 1075 (small n is summed directly).
 */
export function mcnemarExact(b: number, c: number): number {
  if (!(Number.isInteger(b) && Number.isInteger(c) && b >= 0 && c >= 0)) throw new RangeError(`McNemar needs non-negative integer counts (got ${b}, ${c})`);
  const n = b + c;
  if (n === 0) return 1;
  const m = Math.min(b, c);
  if (n <= 1000) {
    // 0.5^n is exact here and the ratio recurrence keeps small cases exact (b=2, c=1 gives exactly 1).
    let term = 0.5 ** n;
    let sum = term;
    for (let i = 1; i <= m; i++) sum += term *= (n - i + 1) / i;
    return Math.min(1, 2 * sum);
  }
  const terms: number[] = [];
  for (let i = 0; i <= m; i++) terms.push(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * Math.exp(logSumExp(terms)));
}

/** McNemar's test between two models' predictions on the same labelled examples. */
export function mcnemar(labels: ArrayLike<number>, predA: ArrayLike<number>, predB: ArrayLike<number>): McNemarResult {
  if (predA.length !== labels.length || predB.length !== labels.length) throw new RangeError('mcnemar: both models must be scored on the same examples');
  let b = 0;
  let c = 0;
  for (let i = 0; i < labels.length; i++) {
    const a = predA[i] === labels[i];
    const bb = predB[i] === labels[i];
    if (a && !bb) b++;
    else if (bb && !a) c++;
  }
  return { b, c, pValue: mcnemarExact(b, c) };
}

export interface SeedAggregate {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single seed. */
  std: number;
  min: number;
  max: number;
}

/** Mean ± sample std of one metric over training seeds. */
export function aggregateSeeds(values: ArrayLike<number>): SeedAggregate {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, std: NaN, min: NaN, max: NaN };
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    s += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { n, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max };
}

/** "0.9123 ± 0.0040" with a fixed number of decimals. */
export function formatMeanStd(a: SeedAggregate, digits = 4): string {
  return `${a.mean.toFixed(digits)} ± ${a.std.toFixed(digits)}`;
}

export interface PairedTTestResult {
  n: number;
  /** mean(a - b). */
  meanDiff: number;
  t: number;
  df: number;
  pValue: number;
}

/**
 * Two-sided paired t-test on per-seed scores (a[i] and b[i] share seed i). Identical
 * differences have zero variance: t is then ±Infinity (p = 0) unless they are all 0 (p = 1).
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTTestResult {
  if (a.length !== b.length) throw new RangeError(`paired t-test needs equal lengths (got ${a.length} and ${b.length})`);
  const n = a.length;
  if (n < 2) throw new RangeError('paired t-test needs at least two seeds');
  const d = Array.from({ length: n }, (_, i) => a[i] - b[i]);
  const { mean, std } = aggregateSeeds(d);
  const df = n - 1;
  let t: number;
  if (std === 0) t = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  else t = mean / (std / Math.sqrt(n));
  return { n, meanDiff: mean, t, df, pValue: t === 0 ? 1 : studentTTwoSided(t, df) };
}

/** Bonferroni: multiply each p-value by the number of comparisons (capped at 1). */
export function bonferroni(pValues: number[]): number[] {
  return pValues.map((p) => Math.min(1, p * pValues.length));
}

export interface BaselineComparison extends PairedTTestResult {
  model: string;
  adjustedP: number;
  significant: boolean;
}

/**
 * Every model against one baseline with a paired t-test over the same seeds, Bonferroni-
 * adjusted because testing m models at alpha each would find a false winner with
 * probability up to m * alpha.
 */
export function compareToBaseline(baseline: ArrayLike<number>, models: Record<string, ArrayLike<number>>, alpha = 0.05): BaselineComparison[] {
  const names = Object.keys(models);
  const tests = names.map((m) => pairedTTest(models[m], baseline));
  const adjusted = bonferroni(tests.map((t) => t.pValue));
  return names.map((model, i) => ({ model, ...tests[i], adjustedP: adjusted[i], significant: adjusted[i] < alpha }));
}
