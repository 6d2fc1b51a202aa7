/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011), univariate, with
 * Optuna 5's defaults and estimator (checked against it in tpe.optuna.test.ts). After `nStartup`
 * finished trials (complete or pruned) drawn at random, the finished trials are split: the best
 * ceil(gamma·n) (at most 25) are "good", complete trials first, then pruned ones that got furthest;
 * the rest are "bad". For each setting a Parzen estimator is fitted to each group, l(x) on the
 * good values and g(x) on the bad, and of `nEi` candidates drawn from l the one with the largest
 * l(x)/g(x), the paper's expected-improvement criterion, is taken.
 *
 * Numeric settings: one Gaussian per observation, truncated to the sampling interval (log space
 * for log ranges; integers widened by half a step and scored at the rounded value), its width the
 * larger gap to its neighbours (the inner gap for the outermost two), clipped to
 * [range / min(100, n + 2), range]; plus a prior Gaussian of width `range` at the centre. Mixture
 * weights: 1 per observation (past 25, older ones ramp down as in Optuna) and `priorWeight` for
 * the prior. Categorical settings: per observation a kernel with 1 on its choice plus
 * priorWeight / (n + 1) on every choice, and a uniform prior kernel, mixed with the same weights.
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

/** Optuna's default_weights: 1 each up to 25 observations; beyond, the oldest ramp from 1/n up. */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array(n).fill(1);
  const m = n - 25;
  const ramp = Array.from({ length: m }, (_, i) => (m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1)));
  return [...ramp, ...Array(25).fill(1)];
}

/** The estimator over observed internal values `xs` (in trial order) on [lo, hi]. */
export function parzen(xs: readonly number[], lo: number, hi: number, priorWeight: number): Parzen {
  const range = hi - lo;
  const n = xs.length;
  if (n === 0) return { mus: [0.5 * (lo + hi)], sigmas: [range], weights: [1], lo, hi };
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const ends = [lo, ...order.map((i) => xs[i]), hi];
  const sorted = order.map((_, j) => Math.max(ends[j + 1] - ends[j], ends[j + 2] - ends[j + 1]));
  // The interval's ends are no neighbours: the outermost kernels take their inner gap.
  if (n >= 2) {
    sorted[0] = ends[2] - ends[1];
    sorted[n - 1] = ends[n] - ends[n - 1];
  }
  const minSigma = range / Math.min(100, n + 2);
  const sigmas = Array<number>(n);
  order.forEach((i, j) => (sigmas[i] = Math.min(range, Math.max(minSigma, sorted[j]))));
  const w = [...observationWeights(n), priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  return { mus: [...xs, 0.5 * (lo + hi)], sigmas: [...sigmas, range], weights: w.map((x) => x / total), lo, hi };
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

/** Probabilities of each choice under the estimator (observations in trial order). */
export function categoricalProbs(nChoices: number, indices: readonly number[], priorWeight: number): number[] {
  const n = indices.length;
  if (n === 0) return Array(nChoices).fill(1 / nChoices);
  const fill = priorWeight / (n + 1);
  const w = [...observationWeights(n), priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  const probs = Array<number>(nChoices).fill((priorWeight / total) * (1 / nChoices));
  indices.forEach((c, i) => {
    for (let k = 0; k < nChoices; k++) probs[k] += ((w[i] / total) * ((k === c ? 1 : 0) + fill)) / (1 + fill * nChoices);
  });
  return probs;
}

/** How far a pruned trial got: its last step, then its value there (NaN last); higher is better. */
function prunedRank(a: Trial, b: Trial): number {
  const la = a.intermediate.at(-1);
  const lb = b.intermediate.at(-1);
  if (!la || !lb) return la ? -1 : lb ? 1 : 0;
  if (la.step !== lb.step) return lb.step - la.step;
  const va = Number.isNaN(la.value) ? -Infinity : la.value;
  const vb = Number.isNaN(lb.value) ? -Infinity : lb.value;
  return vb - va;
}

/** Finished trials split into the best ceil(gamma·n) (at most 25) and the rest, each in trial order (Optuna's _split_trials). */
export function splitTrials(history: readonly Trial[], gamma: number): { good: Trial[]; bad: Trial[] } {
  const complete = history.filter((t) => t.state === 'complete' && Number.isFinite(t.value)).sort((a, b) => b.value! - a.value! || a.number - b.number);
  const pruned = history.filter((t) => t.state === 'pruned').sort((a, b) => prunedRank(a, b) || a.number - b.number);
  let nGood = Math.min(Math.ceil(gamma * (complete.length + pruned.length)), 25);
  const good = complete.slice(0, nGood);
  nGood -= good.length;
  good.push(...pruned.slice(0, nGood));
  const goodSet = new Set(good);
  const byNumber = (a: Trial, b: Trial) => a.number - b.number;
  return { good: good.sort(byNumber), bad: [...complete, ...pruned].filter((t) => !goodSet.has(t)).sort(byNumber) };
}

function sampleDimension(d: Dimension, good: Trial[], bad: Trial[], rng: Rng, o: Required<TpeOptions>): unknown {
  const valuesOf = (ts: Trial[]) => ts.map((t) => t.params[d.path]).filter((v) => v !== undefined);
  if (d.kind === 'categorical') {
    const keys = d.choices.map((c) => JSON.stringify(c));
    const indicesOf = (ts: Trial[]) =>
      valuesOf(ts)
        .map((v) => keys.indexOf(JSON.stringify(v)))
        .filter((i) => i >= 0);
    const l = categoricalProbs(keys.length, indicesOf(good), o.priorWeight);
    const g = categoricalProbs(keys.length, indicesOf(bad), o.priorWeight);
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
      const finished = history.filter((t) => (t.state === 'complete' && Number.isFinite(t.value)) || t.state === 'pruned');
      if (finished.length < o.nStartup) return randomSampler.sample(dims, history, rng, number);
      const { good, bad } = splitTrials(history, o.gamma);
      return Object.fromEntries(dims.map((d) => [d.path, sampleDimension(d, good, bad, rng, o)])) as Params;
    },
  };
}
