/**
 * Naive Bayes on TF-IDF features (fractional counts work: the multinomial likelihood only
 * needs per-class feature totals). Multinomial NB (McCallum & Nigam 1998) and Complement NB
 * (Rennie et al. 2003), with scikit-learn's formulas so results match MultinomialNB /
 * ComplementNB(norm=False). Both are linear in x, so they become a LinearModel: W holds the
 * per-class feature log-probabilities and b the class log-priors.
 */
import type { CsrMatrix } from '../../features/sparse';
import { emptyLinear, type LinearModel } from './linear';

export interface NbParams {
  /** Additive (Lidstone) smoothing. */
  alpha: number;
  /** Complement NB: estimates from all other classes; steadier with unbalanced classes. */
  complement: boolean;
  /** Learn class priors (false: uniform). Complement NB ignores priors, as sklearn does. */
  fitPrior: boolean;
}

/**
 * Per-class totals of each feature, feature-major (feature j's K totals are adjacent, like a
 * LinearModel's W): one pass over X, rows weighted when `weights` is given.
 */
export function classFeatureTotals(X: CsrMatrix, y: Int32Array, K: number, weights?: Float64Array): Float64Array {
  const fc = new Float64Array(X.cols * K);
  for (let i = 0; i < X.rows; i++) {
    const k = y[i];
    const w = weights ? weights[i] : 1;
    for (let q = X.indptr[i]; q < X.indptr[i + 1]; q++) fc[X.indices[q] * K + k] += w * X.values[q];
  }
  return fc;
}

export function fitNaiveBayes(X: CsrMatrix, y: Int32Array, weights: Float64Array, nClasses: number, p: NbParams): LinearModel {
  const d = X.cols;
  const K = nClasses;
  const fc = classFeatureTotals(X, y, K, weights);
  const classCount = new Float64Array(K);
  for (let i = 0; i < X.rows; i++) classCount[y[i]] += weights[i];
  const m = emptyLinear(d, K);
  if (!p.complement) {
    const total = new Float64Array(K);
    for (let j = 0; j < d; j++) for (let k = 0; k < K; k++) total[k] += fc[j * K + k] + p.alpha;
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < K; k++) m.W[j * K + k] = Math.log(fc[j * K + k] + p.alpha) - Math.log(total[k]);
    }
    const n = classCount.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) m.b[k] = p.fitPrior ? Math.log(classCount[k] / n) : -Math.log(K);
    return m;
  }
  // Complement: theta_kj from every class but k; the weight is -log theta (norm=False).
  const all = new Float64Array(d);
  for (let j = 0; j < d; j++) for (let k = 0; k < K; k++) all[j] += fc[j * K + k];
  const compTotal = new Float64Array(K);
  for (let j = 0; j < d; j++) for (let k = 0; k < K; k++) compTotal[k] += all[j] + p.alpha - fc[j * K + k];
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < K; k++) m.W[j * K + k] = -(Math.log(all[j] + p.alpha - fc[j * K + k]) - Math.log(compTotal[k]));
  }
  return m;
}

/**
 * How characteristic feature j is of class c: its log-probability under c minus the mean
 * under the other classes (a log-prob ratio; raw log-probs would rank common words first).
 */
export function nbFeatureScore(m: LinearModel, j: number, c: number): number {
  const K = m.nClasses;
  let others = 0;
  for (let k = 0; k < K; k++) if (k !== c) others += m.W[j * K + k];
  return m.W[j * K + c] - others / Math.max(1, K - 1);
}
