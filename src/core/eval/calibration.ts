/**
 * Calibration: does a confidence of 0.8 mean right 80% of the time? Confidence is the largest
 * class probability. ECE (Naeini et al. 2015; the binning of Guo et al. 2017) is
 *   ECE = sum over bins of |bin| / n * |accuracy(bin) - mean confidence(bin)|.
 * Equal-width bins (15 over [0, 1]) are the usual convention; equal-mass (quantile) bins give
 * every bin the same number of examples, so sparse low-confidence bins cannot add noise.
 */
import { argmax, logLoss } from './metrics';

export type Binning = 'equal-width' | 'equal-mass';

export interface ReliabilityBin {
  /** Edges: fixed for equal-width; the lowest and highest confidence inside for equal-mass. */
  lo: number;
  hi: number;
  count: number;
  /** Mean confidence and accuracy of the bin; 0 when it is empty. */
  confidence: number;
  accuracy: number;
}

export interface ReliabilityDiagram {
  binning: Binning;
  bins: ReliabilityBin[];
  ece: number;
  /** Largest |accuracy - confidence| over non-empty bins (maximum calibration error). */
  mce: number;
}

/** Confidence and correctness of each example. */
function confidences(probs: ArrayLike<number>[], labels: ArrayLike<number>): { conf: Float64Array; hit: Uint8Array } {
  const conf = new Float64Array(probs.length);
  const hit = new Uint8Array(probs.length);
  for (let i = 0; i < probs.length; i++) {
    const best = argmax(probs[i]);
    conf[i] = probs[i][best];
    hit[i] = best === labels[i] ? 1 : 0;
  }
  return { conf, hit };
}

/** Bin (lo, hi]: confidence 1 falls in the last bin and 0 in the first, as in the usual implementation. */
function widthBin(c: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
}

function summarise(binning: Binning, edges: [number, number][], count: Float64Array, confSum: Float64Array, hitSum: Float64Array, n: number): ReliabilityDiagram {
  let ece = 0;
  let mce = 0;
  const bins = edges.map(([lo, hi], b) => {
    const c = count[b];
    const confidence = c ? confSum[b] / c : 0;
    const acc = c ? hitSum[b] / c : 0;
    if (c) {
      const gap = Math.abs(acc - confidence);
      ece += (c / n) * gap;
      mce = Math.max(mce, gap);
    }
    return { lo, hi, count: c, confidence, accuracy: acc };
  });
  return { binning, bins, ece, mce };
}

function equalWidth(conf: Float64Array, hit: Uint8Array, bins: number): ReliabilityDiagram {
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const hitSum = new Float64Array(bins);
  for (let i = 0; i < conf.length; i++) {
    const b = widthBin(conf[i], bins);
    count[b]++;
    confSum[b] += conf[i];
    hitSum[b] += hit[i];
  }
  const edges = Array.from({ length: bins }, (_, b): [number, number] => [b / bins, (b + 1) / bins]);
  return summarise('equal-width', edges, count, confSum, hitSum, conf.length);
}

/**
 * Sorted by confidence (index breaks ties, so the split is deterministic), then cut at
 * floor(b * n / bins): bin sizes differ by at most one. With fewer examples than bins the
 * surplus bins stay empty rather than splitting examples.
 */
function equalMass(conf: Float64Array, hit: Uint8Array, bins: number): ReliabilityDiagram {
  const n = conf.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => conf[a] - conf[b] || a - b);
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const hitSum = new Float64Array(bins);
  const edges: [number, number][] = [];
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins);
    const end = Math.floor(((b + 1) * n) / bins);
    for (let j = start; j < end; j++) {
      const i = order[j];
      count[b]++;
      confSum[b] += conf[i];
      hitSum[b] += hit[i];
    }
    edges.push(end > start ? [conf[order[start]], conf[order[end - 1]]] : [0, 0]);
  }
  return summarise('equal-mass', edges, count, confSum, hitSum, n);
}

/** Per-bin confidence vs accuracy (the data of a reliability diagram) and the ECE it implies. */
export function reliabilityDiagram(probs: ArrayLike<number>[], labels: ArrayLike<number>, opts: { bins?: number; binning?: Binning } = {}): ReliabilityDiagram {
  const bins = opts.bins ?? 15;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const { conf, hit } = confidences(probs, labels);
  return (opts.binning ?? 'equal-width') === 'equal-mass' ? equalMass(conf, hit, bins) : equalWidth(conf, hit, bins);
}

/** ECE with equal-width bins (the headline calibration figure). 0 for no examples. */
export function expectedCalibrationError(probs: ArrayLike<number>[], labels: ArrayLike<number>, bins = 15): number {
  if (probs.length === 0) return 0;
  return reliabilityDiagram(probs, labels, { bins, binning: 'equal-width' }).ece;
}

/** ECE with equal-mass (quantile) bins. */
export function expectedCalibrationErrorEqualMass(probs: ArrayLike<number>[], labels: ArrayLike<number>, bins = 15): number {
  if (probs.length === 0) return 0;
  return reliabilityDiagram(probs, labels, { bins, binning: 'equal-mass' }).ece;
}

export interface CalibrationReport {
  eceBefore: number;
  eceAfter: number;
  logLossBefore: number;
  logLossAfter: number;
  /** Equal-width bins of both ECEs. */
  bins: number;
}

/** ECE and log loss of the same examples before and after calibration. */
export function calibrationReport(before: ArrayLike<number>[], after: ArrayLike<number>[], labels: ArrayLike<number>, bins = 15): CalibrationReport {
  return {
    eceBefore: expectedCalibrationError(before, labels, bins),
    eceAfter: expectedCalibrationError(after, labels, bins),
    logLossBefore: logLoss(labels, before),
    logLossAfter: logLoss(labels, after),
    bins,
  };
}
