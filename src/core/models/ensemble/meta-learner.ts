/**
 * The stacking and blending meta-learner: multinomial logistic regression over the members'
 * concatenated probabilities, with scikit-learn's objective for LogisticRegression(C,
 * multinomial, lbfgs): C * sum_i -log softmax(W x_i + b)[y_i] + ||W||^2 / 2, intercept unpenalised.
 * Dense and small (members x classes features), so plain arrays and the shared L-BFGS suffice.
 */
import { lbfgs } from '../classical/lbfgs';
import { shapeOf, type ProbRows } from './probs';

/** Fitted weights: W is K x D row-major (class-major), b has K entries. Plain JSON. */
export interface MetaLearner {
  classes: number;
  features: number;
  W: number[];
  b: number[];
  C: number;
}

/** One feature row per text: member 0's K probabilities, then member 1's, ... */
export function stackFeatures(members: readonly ProbRows[]): Float64Array[] {
  const [n, K] = shapeOf(members);
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const x = new Float64Array(members.length * K);
    members.forEach((m, j) => {
      for (let k = 0; k < K; k++) x[j * K + k] = m[i][k];
    });
    out.push(x);
  }
  return out;
}

function softmaxInto(z: Float64Array): void {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  let s = 0;
  for (let k = 0; k < z.length; k++) s += z[k] = Math.exp(z[k] - max);
  for (let k = 0; k < z.length; k++) z[k] /= s;
}

/** Fits the meta-learner on feature rows X and labels y (K classes). */
export async function fitMetaLearner(X: readonly Float64Array[], y: ArrayLike<number>, K: number, C = 1): Promise<MetaLearner> {
  const n = X.length;
  const D = X[0]?.length ?? 0;
  const z = new Float64Array(K);
  // Parameters: K*D weights then K intercepts.
  const evaluate = (p: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const x = X[i];
      for (let k = 0; k < K; k++) {
        let s = p[K * D + k];
        for (let d = 0; d < D; d++) s += p[k * D + d] * x[d];
        z[k] = s;
      }
      let max = -Infinity;
      for (const v of z) max = Math.max(max, v);
      let lse = 0;
      for (let k = 0; k < K; k++) lse += Math.exp(z[k] - max);
      f += C * (Math.log(lse) + max - z[y[i]]);
      softmaxInto(z);
      for (let k = 0; k < K; k++) {
        const r = C * (z[k] - (y[i] === k ? 1 : 0));
        for (let d = 0; d < D; d++) g[k * D + d] += r * x[d];
        g[K * D + k] += r;
      }
    }
    for (let j = 0; j < K * D; j++) {
      f += 0.5 * p[j] * p[j];
      g[j] += p[j];
    }
    return f;
  };
  const res = await lbfgs(evaluate, new Float64Array(K * D + K), { maxIter: 1000, tol: 1e-9 });
  return { classes: K, features: D, W: Array.from(res.x.subarray(0, K * D)), b: Array.from(res.x.subarray(K * D)), C };
}

/** The meta-learner's probabilities for feature rows X. */
export function applyMetaLearner(m: MetaLearner, X: readonly Float64Array[]): Float32Array[] {
  const { classes: K, features: D } = m;
  const z = new Float64Array(K);
  return X.map((x) => {
    for (let k = 0; k < K; k++) {
      let s = m.b[k];
      for (let d = 0; d < D; d++) s += m.W[k * D + d] * x[d];
      z[k] = s;
    }
    softmaxInto(z);
    return Float32Array.from(z);
  });
}

/** Fits on the members' probabilities directly (stacking's and blending's entry point). */
export async function fitMetaOnMembers(members: readonly ProbRows[], labels: ArrayLike<number>, C = 1): Promise<MetaLearner> {
  const [, K] = shapeOf(members, labels);
  return fitMetaLearner(stackFeatures(members), labels, K, C);
}
