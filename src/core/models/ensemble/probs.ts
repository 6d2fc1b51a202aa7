/**
 * The shape every combiner, diversity measure and selection works on: for each member, its
 * probability rows over the same texts (what Estimator.predictProba returns). Validation or
 * out-of-fold rows only: nothing here is given a way to reach the test split.
 */
import { InputError } from '../../util/errors';

/** One member's probabilities: n rows of K. */
export type ProbRows = readonly ArrayLike<number>[];

/** Checks that every member has n rows of K probabilities; returns [n, K]. */
export function shapeOf(members: readonly ProbRows[], labels?: ArrayLike<number>): [number, number] {
  if (members.length === 0) throw new InputError('An ensemble needs at least one member');
  const n = members[0].length;
  const K = members[0][0]?.length ?? 0;
  if (n === 0 || K === 0) throw new InputError('Members have no predictions to combine');
  members.forEach((m, j) => {
    if (m.length !== n) throw new InputError(`Member ${j} has ${m.length} rows, member 0 has ${n}`);
    for (const row of m) if (row.length !== K) throw new InputError(`Member ${j} has a row of ${row.length} classes, expected ${K}`);
  });
  if (labels && labels.length !== n) throw new InputError(`${labels.length} labels for ${n} predictions`);
  return [n, K];
}

/** Index of the largest value; the first one on ties (as numpy.argmax). */
export function argmaxRow(row: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
  return best;
}

/** Each row's arg-max. */
export function predictions(rows: ProbRows): Int32Array {
  return Int32Array.from(rows, argmaxRow);
}

/** Share of rows whose arg-max is the label. */
export function rowAccuracy(rows: ProbRows, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < rows.length; i++) if (argmaxRow(rows[i]) === labels[i]) ok++;
  return ok / Math.max(1, rows.length);
}

/** Mean negative log-likelihood of the labels, probabilities clipped at 1e-15 (scikit-learn's log_loss). */
export function rowLogLoss(rows: ProbRows, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) s -= Math.log(Math.max(rows[i][labels[i]], 1e-15));
  return s / Math.max(1, rows.length);
}

/** Weighted sum of the members' rows (weights need not be normalised). */
export function weightedAverage(members: readonly ProbRows[], weights: ArrayLike<number>): Float32Array[] {
  const [n, K] = shapeOf(members);
  let total = 0;
  for (let j = 0; j < members.length; j++) total += weights[j];
  if (!(total > 0)) throw new InputError('Ensemble weights must have a positive sum');
  const out: Float32Array[] = [];
  const acc = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let j = 0; j < members.length; j++) {
      const w = weights[j] / total;
      if (w === 0) continue;
      const r = members[j][i];
      for (let k = 0; k < K; k++) acc[k] += w * r[k];
    }
    out.push(Float32Array.from(acc));
  }
  return out;
}
