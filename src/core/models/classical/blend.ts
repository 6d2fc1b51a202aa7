/**
 * Blends of per-block models. A linear SVM fitted on the word block and another on the char
 * block make different errors (word n-grams see phrases, char n-grams see morphology and rare
 * words); a weighted sum of their scores beats one SVM on both blocks, where one C has to suit
 * two very different feature scales. Both parts are linear over disjoint columns, so the blend
 * is again one LinearModel: prediction costs one scoring pass, as for a single model.
 */
import { calibrateRow, fitCalibrator, type CalibrationMethod } from '../calibration/calibrator';
import { goldenSectionMin } from '../selection/golden-section';
import { emptyLinear, type LinearModel } from './linear';

/**
 * One model over all nFeatures columns from per-block parts: part p covers the columns from
 * offsets[p] on and enters with weights[p] (its bias too). A single part at offset 0 spanning
 * every column with weight 1 is returned as is.
 */
export function placeBlocks(parts: LinearModel[], weights: ArrayLike<number>, offsets: ArrayLike<number>, nFeatures: number): LinearModel {
  const K = parts[0].nClasses;
  if (parts.length === 1 && weights[0] === 1 && offsets[0] === 0 && parts[0].nFeatures === nFeatures) return parts[0];
  const m = emptyLinear(nFeatures, K);
  parts.forEach((p, i) => {
    if (p.nClasses !== K || offsets[i] + p.nFeatures > nFeatures) throw new Error('blend parts do not fit the feature space');
    const w = weights[i];
    const o = offsets[i] * K;
    for (let j = 0; j < p.W.length; j++) m.W[o + j] = w * p.W[j];
    for (let k = 0; k < K; k++) m.b[k] += w * p.b[k];
  });
  return m;
}

/** Row-major scores of the blend from each part's scores. */
export function blendScores(partScores: Float64Array[], weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(partScores[0].length);
  partScores.forEach((s, i) => {
    for (let j = 0; j < out.length; j++) out[j] += weights[i] * s[j];
  });
  return out;
}

/** Weights (a, 1 - a) of a two-part blend. */
export function pairWeights(a: number): [number, number] {
  return [a, 1 - a];
}

const SEARCH_ROWS = 8192;

/** Calibrated log-loss of the blend with first-part weight a. */
function blendLoss(partScores: [Float64Array, Float64Array], a: number, y: Int32Array, K: number, method: Exclude<CalibrationMethod, 'none'>): number {
  const s = blendScores(partScores, pairWeights(a));
  const cal = fitCalibrator(method, s, y, K);
  const p = new Float64Array(K);
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    calibrateRow(cal, s, i * K, K, p);
    loss -= Math.log(Math.max(p[y[i]], 1e-12));
  }
  return loss;
}

/**
 * The weight a of the first part that minimises the log-loss of the calibrated blend on
 * out-of-fold scores, by golden-section search on [0, 1] to within 0.01. Log-loss rather than
 * accuracy: accuracy is a step function of a and picks an edge of a flat plateau by chance;
 * the log-loss is smooth with one minimum, and each evaluation refits the calibrator, so a
 * search of ~10 evaluations costs far less than a grid.
 */
export function chooseBlendWeight(partScores: [Float64Array, Float64Array], y: Int32Array, K: number, method: Exclude<CalibrationMethod, 'none'>): number {
  // Every calibrator fit is a Newton solve over all rows; a fixed stride of at most
  // SEARCH_ROWS rows decides the weight as well at a fraction of the cost.
  const stride = Math.max(1, Math.ceil(y.length / SEARCH_ROWS));
  if (stride > 1) {
    const rows = Int32Array.from({ length: Math.ceil(y.length / stride) }, (_, i) => i * stride);
    const sub = (s: Float64Array): Float64Array => {
      const out = new Float64Array(rows.length * K);
      rows.forEach((r, i) => out.set(s.subarray(r * K, r * K + K), i * K));
      return out;
    };
    partScores = [sub(partScores[0]), sub(partScores[1])];
    y = Int32Array.from(rows, (r) => y[r]);
  }
  const a = goldenSectionMin((w) => blendLoss(partScores, w, y, K, method), 0, 1, 0.01);
  // Rounded so that the stored weight is a short, reproducible number.
  return Math.round(a * 100) / 100;
}
