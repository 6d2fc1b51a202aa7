/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011), univariate as in
 * hyperopt and Optuna's default. After `nStartup` random trials, the finished trials are split at
 * the gamma quantile of their values into "good" (the best ceil(gamma·n), at most 25) and "bad"
 * (the rest, and every pruned trial). For each setting a Parzen estimator is fitted to each group:
 * l(x) on the good values, g(x) on the bad, each a mixture of a prior (weight `priorWeight`) and
 * one kernel per observation. `nEi` candidates are drawn from l and the one with the largest
 * l(x)/g(x), the expected-improvement criterion of the paper, is taken.
 *
 * Numeric settings: truncated Gaussians in the sampling interval (log space for log ranges,
 * integers widened by half a step), each kernel's width the larger gap to its neighbours among the
 * sorted observations and the prior's centre, clipped to [range / min(100, n + 1), range]
 * (hyperopt's rule); the prior is a Gaussian of width `range` at the centre. Categorical
 * settings: Optuna's smoothed kernels (see categoricalProbs).
 */
import type { Rng } from '../util/random';
import { fromInternal, interval, randomSampler, toInternal } from './random';
import type { Dimension, Params } from './space';
import type { Sampler, Trial } from './trial';

export interface TpeOptions {
  /** Random trials before the model is used. Default 10. */
  nStartup?: number;
  /** Candidates drawn from l(x) per setting. Default 24. */
  nEi?: number;
  /** Share of trials counted as good. Default 0.1 (Optuna's; hyperopt's 0.25 settled on a wrong choice more often in our synthetic test). */
  gamma?: number;
  /** Weight of the prior in each estimator. Default 1. */
  priorWeight?: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for truncation masses. */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

/** A mixture of Gaussians truncated to [lo, hi]. */
export interface Parzen {
  mus: number[];
  sigmas: number[];
  weights: number[];
  lo: number;
  hi: number;
}

/** The estimator over observed internal values `xs` (hyperopt's adaptive Parzen with a prior at the centre). */
export function parzen(xs: readonly number[], lo: number, hi: number, priorWeight: number): Parzen {
  const range = hi - lo;
  const prior = { mu: 0.5 * (lo + hi), sigma: range, w: priorWeight };
  const points = [...xs.map((x) => ({ mu: x, w: 1 })), { mu: prior.mu, w: prior.w, isPrior: true }].sort((a, b) => a.mu - b.mu);
  const minSigma = range / Math.min(100, xs.length + 1);
  const sigmas = points.map((p, i) => {
    if ('isPrior' in p) return prior.sigma;
    const left = i > 0 ? p.mu - points[i - 1].mu : p.mu - lo;
    const right = i < points.length - 1 ? points[i + 1].mu - p.mu : hi - p.mu;
    return Math.min(range, Math.max(minSigma, left, right));
  });
  const total = points.reduce((s, p) => s + p.w, 0);
  return { mus: points.map((p) => p.mu), sigmas, weights: points.map((p) => p.w / total), lo, hi };
}

export function parzenLogPdf(p: Parzen, x: number): number {
  return logSumExp(
    p.mus.map((mu, i) => {
      const s = p.sigmas[i];
      const mass = phi((p.hi - mu) / s) - phi((p.lo - mu) / s);
      const z = (x - mu) / s;
      return Math.log(p.weights[i]) - 0.5 * z * z - Math.log(s) - LOG_SQRT_2PI - Math.log(Math.max(mass, 1e-300));
    }),
  );
}

export function parzenSample(p: Parzen, rng: Rng): number {
  let u = rng.next();
  let k = 0;
  while (k < p.weights.length - 1 && u >= p.weights[k]) u -= p.weights[k++];
  // Rejection from the chosen kernel: its centre lies in [lo, hi], so at least half its mass does.
  for (let tries = 0; tries < 64; tries++) {
    const x = p.mus[k] + p.sigmas[k] * rng.normal();
    if (x >= p.lo && x <= p.hi) return x;
  }
  return Math.min(p.hi, Math.max(p.lo, p.mus[k]));
}

/**
 * Probabilities of each choice under the estimator (Optuna's form): one kernel per observation,
 * putting 1 on the observed choice plus priorWeight / nKernels on every choice, and a uniform
 * prior kernel, mixed with equal weights. The smoothing keeps unlucky choices alive.
 */
function categoricalProbs(d: Extract<Dimension, { kind: 'categorical' }>, values: readonly unknown[], priorWeight: number): number[] {
  const keys = d.choices.map((c) => JSON.stringify(c));
  const n = keys.length;
  const nKernels = values.length + 1;
  const fill = priorWeight / nKernels;
  const probs = keys.map(() => 1 / n / nKernels);
  for (const v of values) {
    const i = keys.indexOf(JSON.stringify(v));
    const rowSum = 1 + fill * n;
    for (let k = 0; k < n; k++) probs[k] += ((k === i ? 1 : 0) + fill) / rowSum / nKernels;
  }
  return probs;
}

/** Finished trials split at the gamma quantile: the best first, pruned trials always bad. */
export function splitTrials(history: readonly Trial[], gamma: number): { good: Trial[]; bad: Trial[] } {
  const complete = history.filter((t) => t.state === 'complete' && Number.isFinite(t.value)).sort((a, b) => b.value! - a.value! || a.number - b.number);
  const nGood = Math.min(Math.ceil(gamma * complete.length), 25);
  return { good: complete.slice(0, nGood), bad: [...complete.slice(nGood), ...history.filter((t) => t.state === 'pruned')] };
}

function sampleDimension(d: Dimension, good: Trial[], bad: Trial[], rng: Rng, o: Required<TpeOptions>): unknown {
  const valuesOf = (ts: Trial[]) => ts.map((t) => t.params[d.path]).filter((v) => v !== undefined);
  if (d.kind === 'categorical') {
    const l = categoricalProbs(d, valuesOf(good), o.priorWeight);
    const g = categoricalProbs(d, valuesOf(bad), o.priorWeight);
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < o.nEi; c++) {
      let u = rng.next();
      let i = 0;
      while (i < l.length - 1 && u >= l[i]) u -= l[i++];
      const score = Math.log(l[i]) - Math.log(g[i]);
      if (score > bestScore) [best, bestScore] = [i, score];
    }
    return d.choices[best];
  }
  const [lo, hi] = interval(d);
  const internal = (ts: Trial[]) => valuesOf(ts).map((v) => toInternal(d, v as number));
  const l = parzen(internal(good), lo, hi, o.priorWeight);
  const g = parzen(internal(bad), lo, hi, o.priorWeight);
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < o.nEi; c++) {
    const x = parzenSample(l, rng);
    // Integers are scored where they will be tried, after rounding.
    const at = d.kind === 'int' ? toInternal(d, fromInternal(d, x)) : x;
    const score = parzenLogPdf(l, at) - parzenLogPdf(g, at);
    if (score > bestScore) [best, bestScore] = [x, score];
  }
  return fromInternal(d, best);
}

export function tpeSampler(opts: TpeOptions = {}): Sampler {
  const o: Required<TpeOptions> = { nStartup: opts.nStartup ?? 10, nEi: opts.nEi ?? 24, gamma: opts.gamma ?? 0.1, priorWeight: opts.priorWeight ?? 1 };
  return {
    name: 'tpe',
    sample(dims, history, rng, number) {
      const finished = history.filter((t) => t.state === 'complete' && Number.isFinite(t.value));
      if (finished.length < o.nStartup) return randomSampler.sample(dims, history, rng, number);
      const { good, bad } = splitTrials(history, o.gamma);
      return Object.fromEntries(dims.map((d) => [d.path, sampleDimension(d, good, bad, rng, o)])) as Params;
    },
  };
}
