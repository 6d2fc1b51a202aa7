/**
 * The Parzen estimators of TPE as Optuna 5 builds them (checked against it in tpe.optuna.test.ts).
 * Numeric settings: one Gaussian per observation, truncated to the sampling interval, its width
 * the larger gap to its neighbours (the inner gap for the outermost two), clipped to
 * [range / min(100, n + 2), range]; plus a prior Gaussian of width `range` at the centre.
 * Categorical settings: per observation a kernel with 1 on its choice plus priorWeight / (n + 1)
 * on every choice, and a uniform prior kernel. Mixture weights: 1 per observation (past 25, the
 * older ones ramp down) and `priorWeight` for the prior.
 *
 * The joint estimator (Optuna's default, multivariate TPE) takes kernel k of every setting
 * together: a candidate is drawn from one observation's kernels, and its density is the mixture
 * over k of the product of the settings' kernel densities, so settings that worked together are
 * proposed together.
 */
import type { Rng } from '../util/random';

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

/** One setting's kernels, one per observation then the prior; values are internal (log space, category index). */
export type SettingKernels = { kind: 'numeric'; lo: number; hi: number; mus: number[]; sigmas: number[] } | { kind: 'categorical'; rows: number[][] };

/** The joint estimator: shared mixture weights over the kernels, and each setting's kernels. */
export interface Mixture {
  weights: number[];
  settings: SettingKernels[];
}

export type SettingObservations = { kind: 'numeric'; lo: number; hi: number; values: number[] } | { kind: 'categorical'; choices: number; indices: number[] };

export function mixture(settings: readonly SettingObservations[], n: number, priorWeight: number): Mixture {
  const w = n === 0 ? [1] : [...observationWeights(n), priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  return {
    weights: w.map((x) => x / total),
    settings: settings.map((s): SettingKernels => {
      if (s.kind === 'numeric') {
        const p = parzen(s.values, s.lo, s.hi, priorWeight);
        return { kind: 'numeric', lo: s.lo, hi: s.hi, mus: p.mus, sigmas: p.sigmas };
      }
      if (n === 0) return { kind: 'categorical', rows: [Array(s.choices).fill(1 / s.choices)] };
      const fill = priorWeight / (n + 1);
      const rows = s.indices.map((c) => Array.from({ length: s.choices }, (_, k) => ((k === c ? 1 : 0) + fill) / (1 + fill * s.choices)));
      rows.push(Array(s.choices).fill(1 / s.choices));
      return { kind: 'categorical', rows };
    }),
  };
}

function kernelLogPdf(s: SettingKernels, k: number, x: number): number {
  if (s.kind === 'categorical') return Math.log(s.rows[k][x]);
  const sd = s.sigmas[k];
  const mass = phi((s.hi - s.mus[k]) / sd) - phi((s.lo - s.mus[k]) / sd);
  const z = (x - s.mus[k]) / sd;
  return -0.5 * z * z - Math.log(sd) - LOG_SQRT_2PI - Math.log(Math.max(mass, 1e-300));
}

/** log density of a point (one internal value per setting) under the joint estimator. */
export function mixtureLogPdf(m: Mixture, x: readonly number[]): number {
  return logSumExp(m.weights.map((w, k) => Math.log(w) + m.settings.reduce((sum, s, d) => sum + kernelLogPdf(s, k, x[d]), 0)));
}

/** A point drawn from the joint estimator: one kernel, then every setting from it. */
export function mixtureSample(m: Mixture, rng: Rng): number[] {
  let u = rng.next();
  let k = 0;
  while (k < m.weights.length - 1 && u >= m.weights[k]) u -= m.weights[k++];
  return m.settings.map((s) => {
    if (s.kind === 'categorical') {
      let v = rng.next();
      let i = 0;
      while (i < s.rows[k].length - 1 && v >= s.rows[k][i]) v -= s.rows[k][i++];
      return i;
    }
    // Rejection from the kernel: its centre lies in [lo, hi], so at least half its mass does.
    for (let tries = 0; tries < 64; tries++) {
      const x = s.mus[k] + s.sigmas[k] * rng.normal();
      if (x >= s.lo && x <= s.hi) return x;
    }
    return Math.min(s.hi, Math.max(s.lo, s.mus[k]));
  });
}
