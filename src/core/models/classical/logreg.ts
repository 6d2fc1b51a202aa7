/**
 * Multinomial logistic regression with L2, scikit-learn's objective
 *   C * sum_i w_i CE(softmax(x_i W + b), y_i) + |W|^2 / 2   (bias not penalised),
 * minimised by L-BFGS on the full softmax loss. The objective is divided by C * n, which
 * leaves the minimiser unchanged and keeps gradients O(1) for the stopping rule.
 * Parameters are one vector: W feature-major (d*K) then b (K), matching LinearModel.
 */
import type { CsrMatrix } from '../../features/sparse';
import { Ticker, type ProgressOptions } from '../../features/progress';
import { lbfgs } from './lbfgs';
import type { HeadFit } from './linear';

export interface LogRegParams {
  C: number;
  maxIter: number;
  tol: number;
}

export async function fitLogReg(X: CsrMatrix, y: Int32Array, sw: Float64Array, K: number, p: LogRegParams, opts: ProgressOptions): Promise<HeadFit> {
  const d = X.cols;
  const n = X.rows;
  const nW = d * K;
  const { indptr, indices, values } = X;
  const lambda = 1 / (p.C * n);
  const s = new Float64Array(K);
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const a = indptr[i];
      const e = indptr[i + 1];
      for (let k = 0; k < K; k++) s[k] = x[nW + k];
      for (let q = a; q < e; q++) {
        const v = values[q];
        const o = indices[q] * K;
        for (let k = 0; k < K; k++) s[k] += v * x[o + k];
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (s[k] > max) max = s[k];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        s[k] = Math.exp(s[k] - max);
        sum += s[k];
      }
      const wi = sw[i] / n;
      loss += wi * (Math.log(sum) - Math.log(s[y[i]]));
      // Residual (p - onehot) * weight: the gradient row for every non-zero of x_i.
      for (let k = 0; k < K; k++) s[k] = (s[k] / sum - (k === y[i] ? 1 : 0)) * wi;
      for (let k = 0; k < K; k++) g[nW + k] += s[k];
      for (let q = a; q < e; q++) {
        const v = values[q];
        const o = indices[q] * K;
        for (let k = 0; k < K; k++) g[o + k] += v * s[k];
      }
    }
    let reg = 0;
    for (let j = 0; j < nW; j++) {
      reg += x[j] * x[j];
      g[j] += lambda * x[j];
    }
    return loss + 0.5 * lambda * reg;
  };
  const ticker = new Ticker('fit:logreg', p.maxIter, opts, 0);
  const r = await lbfgs(evaluate, new Float64Array(nW + K), {
    maxIter: p.maxIter,
    tol: p.tol,
    // Few curvature pairs: with d*K parameters the two-loop recursion, not the data pass,
    // dominates an iteration, and 5 pairs converge about as fast as 10 here.
    memory: 5,
    onIteration: (iter) => ticker.tick(iter),
  });
  ticker.finish();
  const W = new Float32Array(nW);
  for (let j = 0; j < nW; j++) W[j] = r.x[j];
  const b = Float32Array.from(r.x.subarray(nW));
  return {
    model: { nFeatures: d, nClasses: K, W, b },
    epochs: r.iterations,
    steps: r.iterations,
    stoppedEarly: r.converged ? undefined : `max_iter (${p.maxIter}) reached before convergence`,
  };
}
