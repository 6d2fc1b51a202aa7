/**
 * Linear classifier by SGD with the modified Huber loss, one-vs-rest, following scikit-learn's
 * SGDClassifier (plain SGD, L2 penalty): learning rates 'optimal' eta = 1/(alpha (t0 + t))
 * with Bottou's t0 heuristic, 'invscaling' eta0 / t^powerT or 'constant'; intercept decay
 * 0.01 for sparse input; stop when the epoch loss stops improving by tol for nIterNoChange
 * epochs. All K binary problems share one pass over the seeded shuffle, which reads each row
 * once for all classes (feature-major weights) and lets them share the L2 scale factor.
 */
import type { CsrMatrix } from '../../features/sparse';
import { Ticker, type ProgressOptions } from '../../features/progress';
import { Rng } from '../../util/random';
import type { HeadFit } from './linear';

export interface SgdParams {
  alpha: number;
  epochs: number;
  learningRate: 'optimal' | 'invscaling' | 'constant';
  eta0: number;
  powerT: number;
  tol: number | null;
  nIterNoChange: number;
}

const INTERCEPT_DECAY = 0.01;

/** d loss / d score for modified Huber with label yv in {-1, +1}. */
function dloss(score: number, yv: number): number {
  const z = score * yv;
  if (z >= 1) return 0;
  if (z >= -1) return -2 * (1 - z) * yv;
  return -4 * yv;
}

function loss(score: number, yv: number): number {
  const z = score * yv;
  if (z >= 1) return 0;
  if (z >= -1) return (1 - z) * (1 - z);
  return -4 * z;
}

export async function fitSgd(X: CsrMatrix, y: Int32Array, sw: Float64Array, K: number, p: SgdParams, seed: number, opts: ProgressOptions): Promise<HeadFit> {
  const n = X.rows;
  const d = X.cols;
  const { indptr, indices, values } = X;
  const W = new Float64Array(d * K);
  const b = new Float64Array(K);
  const s = new Float64Array(K);
  const upd = new Float64Array(K);
  let wscale = 1;
  const typw = Math.sqrt(1 / Math.sqrt(p.alpha));
  const t0 = 1 / ((typw / Math.max(1, dloss(-typw, 1))) * p.alpha);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed);
  let t = 1;
  let best = Infinity;
  let noImprove = 0;
  let epochs = 0;
  let stopped: string | undefined;
  const ticker = new Ticker('fit:sgd', p.epochs, opts, 0);
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    let sumLoss = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r];
      const a = indptr[i];
      const e = indptr[i + 1];
      const eta = p.learningRate === 'optimal' ? 1 / (p.alpha * (t0 + t - 1)) : p.learningRate === 'invscaling' ? p.eta0 / Math.pow(t, p.powerT) : p.eta0;
      s.fill(0);
      for (let q = a; q < e; q++) {
        const v = values[q];
        const o = indices[q] * K;
        for (let k = 0; k < K; k++) s[k] += v * W[o + k];
      }
      let any = false;
      for (let k = 0; k < K; k++) {
        const score = s[k] * wscale + b[k];
        const yv = y[i] === k ? 1 : -1;
        sumLoss += loss(score, yv);
        upd[k] = -eta * Math.max(-1e12, Math.min(1e12, dloss(score, yv))) * sw[i];
        if (upd[k] !== 0) any = true;
      }
      // L2 shrink as one scalar for all weights (sklearn's wscale trick), then the sparse step.
      const shrink = 1 - eta * p.alpha;
      if (shrink <= 0) {
        // A step so large that L2 alone zeroes the weights (sklearn clips the same way).
        W.fill(0);
        wscale = 1;
      } else wscale *= shrink;
      if (any) {
        for (let k = 0; k < K; k++) b[k] += upd[k] * INTERCEPT_DECAY;
        const inv = 1 / wscale;
        for (let q = a; q < e; q++) {
          const v = values[q] * inv;
          const o = indices[q] * K;
          for (let k = 0; k < K; k++) W[o + k] += upd[k] * v;
        }
      }
      if (wscale < 1e-9) {
        for (let j = 0; j < W.length; j++) W[j] *= wscale;
        wscale = 1;
      }
      t++;
    }
    epochs++;
    await ticker.tick(epochs);
    const meanLoss = sumLoss / (n * K);
    if (p.tol !== null) {
      if (meanLoss > best - p.tol) noImprove++;
      else noImprove = 0;
      if (meanLoss < best) best = meanLoss;
      if (noImprove >= p.nIterNoChange) {
        stopped = `loss did not improve by ${p.tol} for ${p.nIterNoChange} epochs`;
        break;
      }
    }
  }
  ticker.finish();
  const Wf = new Float32Array(d * K);
  for (let j = 0; j < Wf.length; j++) Wf[j] = W[j] * wscale;
  return { model: { nFeatures: d, nClasses: K, W: Wf, b: Float32Array.from(b) }, epochs, steps: t - 1, stoppedEarly: stopped };
}
