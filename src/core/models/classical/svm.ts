/**
 * Linear SVM, one-vs-rest, squared hinge loss with L2 (liblinear's L2R_L2LOSS_SVC_DUAL):
 * dual coordinate descent of Hsieh et al. (2008) with liblinear's shrinking. For each binary
 * problem min_a 1/2 a'Qa - e'a + sum a_i^2 D_ii, a >= 0, with Q_ij = y_i y_j x_i.x_j and
 * D_ii = 1 / (2 C_i); w = sum a_i y_i x_i. The bias is a constant feature 1 (regularised),
 * as liblinear and sklearn's LinearSVC(intercept_scaling=1). Class weights scale C_i.
 * (A solver that updates all K classes in one pass over each row was tried: per-class
 * shrinking drops most rows of each binary problem early, and a fused pass must keep a row
 * while any class needs it, so it was 1.7x slower.)
 */
import type { CsrMatrix } from '../../features/sparse';
import { rowSquaredNorms } from '../../features/sparse';
import { Ticker, type ProgressOptions } from '../../features/progress';
import { Rng, deriveSeed } from '../../util/random';
import { fromClassMajor, type BlockFit, type HeadFit } from './linear';
import { classFeatureTotals } from './nb';

export interface SvmParams {
  C: number;
  maxIter: number;
  tol: number;
  /**
   * NB-SVM (Wang & Manning 2012): class k's SVM sees x scaled by the NB log-count ratio
   * r_k = log((p_k/|p_k|_1) / (q_k/|q_k|_1)) (p_k, q_k: feature totals in and outside k, plus
   * `nbAlpha`). The model stays linear in x: its weights are r_k * w_k. 0 disables.
   */
  nbAlpha?: number;
}

/** NB log-count ratios of every class, from one pass over X. */
function nbRatios(X: CsrMatrix, y: Int32Array, K: number, alpha: number): Float64Array[] {
  const d = X.cols;
  const t = classFeatureTotals(X, y, K);
  const all = new Float64Array(d);
  const classSum = new Float64Array(K);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < K; k++) {
      all[j] += t[j * K + k];
      classSum[k] += t[j * K + k];
    }
  }
  let total = 0;
  for (let k = 0; k < K; k++) total += classSum[k];
  const out: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    // p_j = t_jk + alpha, q_j = (all_j - t_jk) + alpha; both normalised to sum 1.
    const sp = classSum[k] + alpha * d;
    const sq = total - classSum[k] + alpha * d;
    const r = new Float64Array(d);
    for (let j = 0; j < d; j++) r[j] = Math.log((t[j * K + k] + alpha) / sp / ((all[j] - t[j * K + k] + alpha) / sq));
    out.push(r);
  }
  return out;
}

/** X with every value multiplied by r[column] (same structure, new values). */
function scaleColumns(X: CsrMatrix, r: Float64Array): CsrMatrix {
  const values = new Float32Array(X.values.length);
  for (let e = 0; e < values.length; e++) values[e] = X.values[e] * r[X.indices[e]];
  return { ...X, values };
}

interface BinaryResult {
  w: Float64Array;
  b: number;
  iterations: number;
}

async function solveBinary(
  X: CsrMatrix,
  sqNorms: Float64Array,
  yPos: (i: number) => boolean,
  Ci: Float64Array,
  p: SvmParams,
  rng: Rng,
  tick: (it: number) => Promise<void>,
): Promise<BinaryResult> {
  const n = X.rows;
  const { indptr, indices, values } = X;
  const w = new Float64Array(X.cols);
  let b = 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  const ys = new Int8Array(n);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ys[i] = yPos(i) ? 1 : -1;
    diag[i] = 0.5 / Ci[i];
    qd[i] = sqNorms[i] + 1 + diag[i];
    index[i] = i;
  }
  let active = n;
  let pgMaxOld = Infinity;
  let iter = 0;
  while (iter < p.maxIter) {
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s++) {
      const j = s + Math.floor(rng.next() * (active - s));
      const t = index[s];
      index[s] = index[j];
      index[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = index[s];
      const a = indptr[i];
      const e = indptr[i + 1];
      let wx = b;
      for (let q = a; q < e; q++) wx += w[indices[q]] * values[q];
      const yi = ys[i];
      const G = yi * wx - 1 + alpha[i] * diag[i];
      let pg = 0;
      if (alpha[i] === 0) {
        if (G > pgMaxOld) {
          // Shrink: at the bound and likely to stay there.
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        } else if (G < 0) pg = G;
      } else pg = G;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.max(old - G / qd[i], 0);
        const delta = (alpha[i] - old) * yi;
        for (let q = a; q < e; q++) w[indices[q]] += delta * values[q];
        b += delta;
      }
    }
    iter++;
    await tick(iter);
    if (pgMax - pgMin <= p.tol) {
      if (active === n) break;
      // Converged on the shrunk set: check once more on everything.
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    // With U = infinity (squared hinge) only the lower bound shrinks, so only pgMax is kept.
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return { w, b, iterations: iter };
}

export async function fitLinearSvm(X: CsrMatrix, y: Int32Array, sw: Float64Array, K: number, p: SvmParams, seed: number, opts: ProgressOptions): Promise<HeadFit> {
  const Ci = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) Ci[i] = p.C * sw[i];
  const perClass: Float64Array[] = [];
  const bias: number[] = [];
  let iterations = 0;
  let capped = false;
  const ticker = new Ticker('fit:svm', K, opts);
  const ratios = p.nbAlpha ? nbRatios(X, y, K, p.nbAlpha) : null;
  for (let k = 0; k < K; k++) {
    const ratio = ratios ? ratios[k] : null;
    const Xk = ratio ? scaleColumns(X, ratio) : X;
    const r = await solveBinary(
      Xk,
      rowSquaredNorms(Xk),
      (i) => y[i] === k,
      Ci,
      p,
      new Rng(deriveSeed(seed, `svm${k}`)),
      () => ticker.tick(k),
    );
    if (ratio) for (let j = 0; j < X.cols; j++) r.w[j] *= ratio[j];
    perClass.push(r.w);
    bias.push(r.b);
    iterations = Math.max(iterations, r.iterations);
    if (r.iterations >= p.maxIter) capped = true;
  }
  ticker.finish();
  return {
    model: fromClassMajor(perClass, bias, X.cols),
    epochs: iterations,
    steps: iterations * K,
    stoppedEarly: capped ? `max_iter (${p.maxIter}) reached before convergence` : undefined,
  };
}

/**
 * One SVM per column block (word, then char; the last block gets `lastC`), each in its
 * block's own column numbers; the estimator places and weights them.
 */
export async function fitBlockSvms(
  Xs: CsrMatrix[],
  y: Int32Array,
  sw: Float64Array,
  K: number,
  p: SvmParams,
  lastC: number,
  seed: number,
  opts: ProgressOptions,
): Promise<BlockFit> {
  const fits: HeadFit[] = [];
  for (let i = 0; i < Xs.length; i++) {
    const C = i === Xs.length - 1 ? lastC : p.C;
    fits.push(await fitLinearSvm(Xs[i], y, sw, K, { ...p, C }, deriveSeed(seed, `block${i}`), opts));
  }
  return {
    parts: fits.map((r) => r.model),
    epochs: Math.max(...fits.map((r) => r.epochs)),
    steps: fits.reduce((n, r) => n + r.steps, 0),
    stoppedEarly: fits.find((r) => r.stoppedEarly)?.stoppedEarly,
  };
}
