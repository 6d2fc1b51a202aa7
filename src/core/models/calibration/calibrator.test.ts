import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random';
import { calibrateRow, fitCalibrator, type CalibrationMethod } from './calibrator';
import { calibrationReport, expectedCalibrationError } from '../../eval/calibration';
import { fitIsotonic, applyIsotonic } from './isotonic';
import { fitSigmoid, applySigmoid } from './platt';

/**
 * Synthetic overconfident scores: the true class gets a margin drawn around 1, the scores are
 * then multiplied by 8, so softmax says ~0.99 while only ~75% are right.
 */
function overconfident(n: number, K: number, seed: number): { scores: Float64Array; y: Int32Array } {
  const rng = new Rng(seed);
  const scores = new Float64Array(n * K);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(K);
    for (let k = 0; k < K; k++) scores[i * K + k] = 8 * (rng.normal() + (k === y[i] ? 1.2 : 0));
  }
  return { scores, y };
}

function softmaxProbs(scores: Float64Array, K: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let o = 0; o < scores.length; o += K) {
    const p = new Float64Array(K);
    calibrateRow({ method: 'temperature', temperature: 1 }, scores, o, K, p);
    out.push(p);
  }
  return out;
}

describe('calibration', () => {
  const K = 4;
  const fit = overconfident(4000, K, 1);
  const test = overconfident(4000, K, 2);
  const before = softmaxProbs(test.scores, K);

  it.each(['sigmoid', 'isotonic', 'temperature'] as Exclude<CalibrationMethod, 'none'>[])('%s lowers ECE on held-out data', (method) => {
    const c = fitCalibrator(method, fit.scores, fit.y, K);
    const after: Float64Array[] = [];
    for (let i = 0; i < test.y.length; i++) {
      const p = new Float64Array(K);
      calibrateRow(c, test.scores, i * K, K, p);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      after.push(p);
    }
    const r = calibrationReport(before, after, test.y);
    expect(r.eceBefore).toBeGreaterThan(0.1);
    expect(r.eceAfter).toBeLessThan(r.eceBefore / 3);
    expect(r.bins).toBe(15);
  });

  it('temperature > 1 for overconfident scores', () => {
    const c = fitCalibrator('temperature', fit.scores, fit.y, K);
    expect(c.method === 'temperature' && c.temperature).toBeGreaterThan(2);
  });

  it('ECE is 0 for perfectly calibrated confident predictions and exact on a hand case', () => {
    expect(
      expectedCalibrationError(
        [
          [1, 0],
          [0, 1],
        ],
        [0, 1],
      ),
    ).toBe(0);
    // Two predictions at 0.8 confidence (bin 12), one right: |0.5 - 0.8| = 0.3
    expect(
      expectedCalibrationError(
        [
          [0.8, 0.2],
          [0.8, 0.2],
        ],
        [0, 1],
      ),
    ).toBeCloseTo(0.3, 12);
  });

  it('Platt sigmoid is increasing in the score for positive-correlated targets', () => {
    const f = [-3, -2, -1, -0.5, 0.5, 1, 2, 3];
    const pos = [false, false, false, true, false, true, true, true];
    const s = fitSigmoid(f, pos);
    expect(applySigmoid(s, 2)).toBeGreaterThan(applySigmoid(s, -2));
  });

  it('isotonic fit is monotone and interpolates', () => {
    const fitIso = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
    expect(fitIso.y).toEqual([0, 0.5, 1]);
    expect(applyIsotonic(fitIso, 0)).toBe(0);
    expect(applyIsotonic(fitIso, 10)).toBe(1);
  });
});
