/**
 * Expected calibration error (Naeini et al. 2015; the binning of Guo et al. 2017): confidence
 * = max class probability, 15 equal-width bins over [0, 1], ECE = sum over bins of
 * |bin| / n * |accuracy(bin) - mean confidence(bin)|.
 */

export function expectedCalibrationError(probs: ArrayLike<number>[], labels: ArrayLike<number>, bins = 15): number {
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const n = probs.length;
  for (let i = 0; i < n; i++) {
    const p = probs[i];
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    const c = p[best];
    // Bin (lo, hi]: confidence 1 falls in the last bin, as in the usual implementation.
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[b]++;
    conf[b] += c;
    if (best === labels[i]) correct[b]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += (count[b] / n) * Math.abs(correct[b] / count[b] - conf[b] / count[b]);
  return ece;
}

export interface CalibrationReport {
  eceBefore: number;
  eceAfter: number;
  bins: number;
}

/** ECE of the same examples before and after calibration. */
export function calibrationReport(before: ArrayLike<number>[], after: ArrayLike<number>[], labels: ArrayLike<number>, bins = 15): CalibrationReport {
  return { eceBefore: expectedCalibrationError(before, labels, bins), eceAfter: expectedCalibrationError(after, labels, bins), bins };
}
