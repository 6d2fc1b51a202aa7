/**
 * Temperature scaling (Guo et al. 2017): probabilities softmax(s / T) with one T > 0 chosen
 * to minimise held-out negative log-likelihood. It never changes the arg-max, so accuracy is
 * untouched; only confidence moves. The NLL is unimodal in log T, so a golden-section search
 * over log T in [-6, 6] is enough and needs no gradients.
 */
import { goldenSectionMin } from '../selection/golden-section';

/** Mean NLL of softmax(scores / T) for row-major scores (n * K). */
export function temperatureNll(scores: Float64Array, y: ArrayLike<number>, K: number, T: number): number {
  let nll = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (scores[o + k] / T > max) max = scores[o + k] / T;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(scores[o + k] / T - max);
    nll += Math.log(sum) + max - scores[o + y[i]] / T;
  }
  return nll / Math.max(1, n);
}

export function fitTemperature(scores: Float64Array, y: ArrayLike<number>, K: number): number {
  return Math.exp(goldenSectionMin((x) => temperatureNll(scores, y, K, Math.exp(x)), -6, 6, 1e-5));
}
