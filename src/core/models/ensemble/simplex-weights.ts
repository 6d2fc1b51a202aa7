/**
 * Weights for a weighted soft vote: the point of the probability simplex that minimises the
 * validation log loss of the mixture sum_m w_m p_m. The loss is convex in w, and exponentiated
 * gradient (Kivinen & Warmuth 1997) stays on the simplex by construction (multiplicative steps,
 * then renormalise), so no projection is needed. Steps that do not lower the loss are halved, so
 * the result is deterministic and never worse than the equal-weight start.
 */
import { shapeOf, type ProbRows } from './probs';

export interface SimplexFit {
  weights: number[];
  /** Validation log loss of the mixture at `weights`. */
  logLoss: number;
  iterations: number;
}

/** Each member's probability of the true label, floored so that log stays finite. */
function trueClassProbs(members: readonly ProbRows[], labels: ArrayLike<number>): Float64Array[] {
  return members.map((m) => Float64Array.from(m, (row, i) => Math.max(row[labels[i]], 1e-15)));
}

function lossAndGrad(a: Float64Array[], w: ArrayLike<number>, grad: Float64Array | null): number {
  const n = a[0].length;
  let loss = 0;
  grad?.fill(0);
  for (let i = 0; i < n; i++) {
    let mix = 0;
    for (let m = 0; m < a.length; m++) mix += w[m] * a[m][i];
    loss -= Math.log(mix);
    if (grad) for (let m = 0; m < a.length; m++) grad[m] -= a[m][i] / mix;
  }
  if (grad) for (let m = 0; m < a.length; m++) grad[m] /= n;
  return loss / n;
}

/** Simplex weights minimising the mixture's log loss on (members, labels). */
export function fitSimplexWeights(members: readonly ProbRows[], labels: ArrayLike<number>, opts: { maxIter?: number; tol?: number } = {}): SimplexFit {
  shapeOf(members, labels);
  const M = members.length;
  const a = trueClassProbs(members, labels);
  let w: Float64Array = new Float64Array(M).fill(1 / M);
  const g = new Float64Array(M);
  let f = lossAndGrad(a, w, g);
  let eta = 1;
  const maxIter = opts.maxIter ?? 2000;
  const tol = opts.tol ?? 1e-12;
  let it = 0;
  for (; it < maxIter && M > 1; it++) {
    let next: Float64Array | null = null as Float64Array | null;
    let fNext = f;
    for (let tries = 0; tries < 40; tries++) {
      // Shift by the smallest gradient before exp: the same step, without overflow.
      let gmin = Infinity;
      for (let m = 0; m < M; m++) gmin = Math.min(gmin, g[m]);
      const cand = Float64Array.from(w, (wm, m) => wm * Math.exp(-eta * (g[m] - gmin)));
      const z = cand.reduce((s, v) => s + v, 0);
      for (let m = 0; m < M; m++) cand[m] /= z;
      const fc = lossAndGrad(a, cand, null);
      if (fc < f) {
        next = cand;
        fNext = fc;
        break;
      }
      eta /= 2;
    }
    if (!next) break;
    const gain = f - fNext;
    w = next;
    f = lossAndGrad(a, w, g);
    // A successful step lets the next one try a longer stride.
    eta = Math.min(eta * 2, 1e6);
    if (gain < tol) break;
  }
  return { weights: Array.from(w), logLoss: f, iterations: it };
}

/** Mean log loss of the simplex mixture (for tests and reports). */
export function mixtureLogLoss(members: readonly ProbRows[], labels: ArrayLike<number>, weights: ArrayLike<number>): number {
  return lossAndGrad(trueClassProbs(members, labels), weights, null);
}

/** The gradient of the mixture's log loss at `weights` (its KKT conditions certify a fit). */
export function mixtureGradient(members: readonly ProbRows[], labels: ArrayLike<number>, weights: ArrayLike<number>): number[] {
  const g = new Float64Array(members.length);
  lossAndGrad(trueClassProbs(members, labels), weights, g);
  return Array.from(g);
}
