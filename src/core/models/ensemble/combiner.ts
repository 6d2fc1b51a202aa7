/**
 * A combiner turns the members' probability rows into the ensemble's. Fitting one (weights,
 * selection, a meta-learner, a calibration map) happens only inside the guard's
 * `ensemble-weighting` phase and only on what it is handed: validation rows, or out-of-fold rows
 * from the training split. It has no handle on a dataset, so it cannot read the test split.
 * The fitted combiner is plain JSON and is what an ensemble's artifact stores.
 */
import { withPhase } from '../../guard/phase';
import { InputError } from '../../util/errors';
import { stratifiedFolds } from '../selection/folds';
import { calibrateRow, fitCalibrator, type Calibrator } from '../calibration/calibrator';
import { applyMetaLearner, fitMetaOnMembers, stackFeatures, type MetaLearner } from './meta-learner';
import { argmaxRow, rowAccuracy, shapeOf, weightedAverage, type ProbRows } from './probs';
import { fitRankReference, rankAverage } from './rank';
import { greedySelect, type SelectionOptions, type SelectionResult } from './selection';
import { fitSimplexWeights } from './simplex-weights';

export const ENSEMBLE_METHODS = ['soft', 'hard', 'weighted', 'rank', 'stacking', 'blend'] as const;
export type EnsembleMethod = (typeof ENSEMBLE_METHODS)[number];
export const ENSEMBLE_CALIBRATIONS = ['temperature', 'platt', 'isotonic'] as const;
export type EnsembleCalibration = (typeof ENSEMBLE_CALIBRATIONS)[number];

/** What each method fits, over the members in use. */
type CombinerParams =
  | { method: 'soft' | 'hard' | 'weighted'; weights: number[] }
  | { method: 'rank'; weights: number[]; reference: number[][][] }
  | { method: 'stacking' | 'blend'; meta: MetaLearner };

export type FittedCombiner = CombinerParams & {
  /** Indices of the members in use (selection may drop some); the parameters index this list. */
  use: number[];
  calibration?: Calibrator;
};

export interface CombinerFitOptions {
  /** Caruana selection before combining (pruned to `maxMembers` when given). */
  select?: SelectionOptions;
  calibrate?: EnsembleCalibration;
  /** Stacking: the members' out-of-fold probabilities on the training split, and its labels. */
  outOfFold?: { members: readonly ProbRows[]; labels: ArrayLike<number> };
  /** Blending: share of validation rows the meta-learner is fitted on (the rest scores it). */
  blendFitShare?: number;
  /** The meta-learner's inverse penalty (scikit-learn's C). */
  C?: number;
  seed: number;
}

export interface CombinerFit {
  combiner: FittedCombiner;
  selection?: SelectionResult;
  /** Accuracy on the validation rows the combiner did not fit on (blending's scored part), when there are any. */
  heldOutAccuracy?: number;
  /** How many validation rows that accuracy is on. */
  heldOutRows?: number;
  /** Accuracy on all validation rows given. */
  validationAccuracy: number;
}

/** Rows with index in `idx`. */
const pick = <T>(rows: readonly T[], idx: ArrayLike<number>): T[] => Array.from(idx as ArrayLike<number>, (i) => rows[i]);

/** Log-probabilities as calibration scores (as the calibration wrapper uses). */
function logScores(rows: ProbRows, K: number): Float64Array {
  const s = new Float64Array(rows.length * K);
  rows.forEach((p, i) => {
    for (let k = 0; k < K; k++) s[i * K + k] = Math.log(Math.max(p[k], 1e-12));
  });
  return s;
}

function hardVote(members: readonly ProbRows[], weights: readonly number[]): Float32Array[] {
  const [n, K] = shapeOf(members);
  const total = weights.reduce((s, w) => s + w, 0);
  return Array.from({ length: n }, (_, i) => {
    const row = new Float32Array(K);
    members.forEach((m, j) => (row[argmaxRow(m[i])] += weights[j] / total));
    return row;
  });
}

/** The combined rows before calibration, from the members in use only. */
function combineRaw(c: FittedCombiner, used: readonly ProbRows[]): Float32Array[] {
  switch (c.method) {
    case 'soft':
    case 'weighted':
      return weightedAverage(used, c.weights);
    case 'hard':
      return hardVote(used, c.weights);
    case 'rank':
      return rankAverage(used, c.reference, c.weights);
    case 'stacking':
    case 'blend':
      return applyMetaLearner(c.meta, stackFeatures(used));
  }
}

/** The ensemble's probabilities from every member's rows (members not in use are ignored). */
export function applyCombiner(c: FittedCombiner, members: readonly ProbRows[]): Float32Array[] {
  const raw = combineRaw(
    c,
    c.use.map((j) => members[j]),
  );
  const cal = c.calibration;
  if (!cal) return raw;
  const K = raw[0]?.length ?? 0;
  const s = logScores(raw, K);
  const out = new Float64Array(K);
  return raw.map((_, i) => {
    calibrateRow(cal, s, i * K, K, out);
    return Float32Array.from(out);
  });
}

/** The rows of a seeded, stratified split of validation: `share` of them to fit on, the rest to score. */
function blendSplit(labels: ArrayLike<number>, K: number, share: number, seed: number): { fit: number[]; scored: number[] } {
  if (!(share > 0 && share < 1)) throw new InputError(`blendFitShare must be in (0, 1), got ${share}`);
  // One fold of k is the smaller part: k = 1 / (smaller share), rounded.
  const small = Math.min(share, 1 - share);
  const fold = stratifiedFolds(labels, K, Math.max(2, Math.round(1 / small)), seed);
  const inSmall = Array.from({ length: labels.length }, (_, i) => i).filter((i) => fold[i] === 0);
  const inLarge = Array.from({ length: labels.length }, (_, i) => i).filter((i) => fold[i] !== 0);
  return share <= 0.5 ? { fit: inSmall, scored: inLarge } : { fit: inLarge, scored: inSmall };
}

async function fitParameters(
  method: EnsembleMethod,
  used: readonly ProbRows[],
  labels: ArrayLike<number>,
  o: CombinerFitOptions,
): Promise<{ params: CombinerParams; calibrateOn: number[]; heldOut?: number[] }> {
  const uniform = used.map(() => 1);
  const all = Array.from({ length: labels.length }, (_, i) => i);
  switch (method) {
    case 'soft':
    case 'hard':
      return { params: { method, weights: uniform }, calibrateOn: all };
    case 'weighted':
      return { params: { method, weights: fitSimplexWeights(used, labels).weights }, calibrateOn: all };
    case 'rank':
      return { params: { method, weights: uniform, reference: fitRankReference(used) }, calibrateOn: all };
    case 'stacking': {
      const oof = o.outOfFold;
      if (!oof) throw new InputError("Stacking needs the members' out-of-fold probabilities on the training split");
      return { params: { method, meta: await fitMetaOnMembers(oof.members, oof.labels, o.C ?? 1) }, calibrateOn: all };
    }
    case 'blend': {
      const { fit, scored } = blendSplit(labels, used[0][0].length, o.blendFitShare ?? 0.5, o.seed);
      const meta = await fitMetaOnMembers(
        used.map((m) => pick(m, fit)),
        pick(Array.from(labels), fit),
        o.C ?? 1,
      );
      // The calibration map is fitted on the part the meta-learner never saw.
      return { params: { method, meta }, calibrateOn: scored, heldOut: scored };
    }
  }
}

/**
 * Fits a combiner inside the `ensemble-weighting` phase on validation rows (and, for stacking,
 * out-of-fold rows). `members` and `labels` are the validation predictions and labels.
 */
export function fitCombiner(method: EnsembleMethod, members: readonly ProbRows[], labels: ArrayLike<number>, o: CombinerFitOptions): Promise<CombinerFit> {
  return withPhase('ensemble-weighting', async () => {
    const [, K] = shapeOf(members, labels);
    if (o.outOfFold) {
      const [, Ko] = shapeOf(o.outOfFold.members, o.outOfFold.labels);
      if (o.outOfFold.members.length !== members.length || Ko !== K) throw new InputError('Out-of-fold rows must come from the same members and classes as the validation rows');
    }
    let use = members.map((_, j) => j);
    let selection: SelectionResult | undefined;
    if (o.select) {
      selection = greedySelect(members, labels, o.select);
      use = use.filter((j) => selection!.counts[j] > 0);
    }
    const used = use.map((j) => members[j]);
    const oof = o.outOfFold && { members: use.map((j) => o.outOfFold!.members[j]), labels: o.outOfFold.labels };
    const fitted = await fitParameters(method, used, labels, { ...o, outOfFold: oof });
    const combiner: FittedCombiner = { ...fitted.params, use };
    // Soft voting over a selected bag averages with the bag's counts (Caruana's weights).
    if (combiner.method === 'soft' && selection) combiner.weights = use.map((j) => selection!.counts[j]);
    if (o.calibrate) {
      const rows = applyCombiner(combiner, members);
      const on = fitted.calibrateOn;
      const method = o.calibrate === 'platt' ? 'sigmoid' : o.calibrate;
      combiner.calibration = fitCalibrator(
        method,
        logScores(pick(rows, on), K),
        Int32Array.from(on, (i) => labels[i]),
        K,
      );
    }
    const rows = applyCombiner(combiner, members);
    const heldOutAccuracy = fitted.heldOut ? rowAccuracy(pick(rows, fitted.heldOut), pick(Array.from(labels), fitted.heldOut)) : undefined;
    return { combiner, selection, validationAccuracy: rowAccuracy(rows, labels), ...(fitted.heldOut ? { heldOutAccuracy, heldOutRows: fitted.heldOut.length } : {}) };
  });
}
