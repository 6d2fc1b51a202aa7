/**
 * Probability maps from class scores, fitted on held-out scores. 'sigmoid' (Platt) and
 * 'isotonic' calibrate each class one-vs-rest and renormalise the row to sum to 1, as
 * scikit-learn's CalibratedClassifierCV does; 'temperature' rescales a softmax. All are plain
 * JSON so they travel in an artifact's `meta`.
 */
import { applyIsotonic, fitIsotonic, type IsotonicFit } from './isotonic';
import { applySigmoid, fitSigmoid, type Sigmoid } from './platt';
import { fitTemperature } from './temperature';

export type CalibrationMethod = 'none' | 'sigmoid' | 'isotonic' | 'temperature';

export type Calibrator = { method: 'sigmoid'; perClass: Sigmoid[] } | { method: 'isotonic'; perClass: IsotonicFit[] } | { method: 'temperature'; temperature: number };

/** Fits a calibrator on row-major held-out scores (n * K) and their labels. */
export function fitCalibrator(method: Exclude<CalibrationMethod, 'none'>, scores: Float64Array, y: Int32Array, K: number): Calibrator {
  if (method === 'temperature') return { method, temperature: fitTemperature(scores, y, K) };
  const n = y.length;
  const f = new Float64Array(n);
  const pos: boolean[] = new Array(n);
  const perClassSig: Sigmoid[] = [];
  const perClassIso: IsotonicFit[] = [];
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < n; i++) {
      f[i] = scores[i * K + k];
      pos[i] = y[i] === k;
    }
    if (method === 'sigmoid') perClassSig.push(fitSigmoid(f, pos));
    else
      perClassIso.push(
        fitIsotonic(
          f,
          pos.map((p) => (p ? 1 : 0)),
        ),
      );
  }
  return method === 'sigmoid' ? { method, perClass: perClassSig } : { method, perClass: perClassIso };
}

/** Maps one row of scores (s[o .. o+K)) to probabilities in out[0..K). */
export function calibrateRow(c: Calibrator, s: Float64Array, o: number, K: number, out: Float64Array): void {
  if (c.method === 'temperature') {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, s[o + k] / c.temperature);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      out[k] = Math.exp(s[o + k] / c.temperature - max);
      sum += out[k];
    }
    for (let k = 0; k < K; k++) out[k] /= sum;
    return;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    out[k] = c.method === 'sigmoid' ? applySigmoid(c.perClass[k], s[o + k]) : applyIsotonic(c.perClass[k], s[o + k]);
    sum += out[k];
  }
  // All-zero rows (possible with isotonic) become uniform, as in scikit-learn.
  for (let k = 0; k < K; k++) out[k] = sum > 0 ? out[k] / sum : 1 / K;
}
