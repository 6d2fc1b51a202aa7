/**
 * Rank averaging: each member's probability for a class is replaced by its rank among that
 * member's validation probabilities for the class (an empirical CDF in [0, 1]), and the ranks
 * are averaged. It ignores how confident each member's scale is, which helps when members are
 * calibrated very differently (an SVM's squashed scores beside a network's sharp softmax).
 * Ranking against a stored reference, rather than within the batch being predicted, keeps a
 * text's prediction independent of the other texts sent with it.
 */
import { shapeOf, type ProbRows } from './probs';

/** Points kept per member and class: enough for ranks to 0.4%, small enough for an artifact's JSON. */
const QUANTILES = 257;

/** Sorted quantiles of one column of validation probabilities. */
function referenceOf(values: Float64Array): number[] {
  values.sort();
  const n = values.length;
  if (n <= QUANTILES) return Array.from(values);
  return Array.from({ length: QUANTILES }, (_, q) => values[Math.round((q * (n - 1)) / (QUANTILES - 1))]);
}

/** reference[member][class]: sorted validation quantiles. */
export function fitRankReference(members: readonly ProbRows[]): number[][][] {
  const [n, K] = shapeOf(members);
  return members.map((m) => Array.from({ length: K }, (_, k) => referenceOf(Float64Array.from({ length: n }, (_, i) => m[i][k]))));
}

/** Share of `ref` strictly below v plus half the ties: the mid-rank, in [0, 1]. */
export function midRank(ref: readonly number[], v: number): number {
  let lo = 0;
  let hi = ref.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ref[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  let eq = lo;
  while (eq < ref.length && ref[eq] === v) eq++;
  return (lo + (eq - lo) / 2) / Math.max(1, ref.length);
}

/** Weighted mean rank per class, normalised to sum to 1 per row (scores, not calibrated probabilities). */
export function rankAverage(members: readonly ProbRows[], reference: number[][][], weights: ArrayLike<number>): Float32Array[] {
  const [n, K] = shapeOf(members);
  const out: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Float32Array(K);
    let total = 0;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < members.length; j++) if (weights[j] > 0) s += weights[j] * midRank(reference[j][k], members[j][i][k]);
      row[k] = s;
      total += s;
    }
    for (let k = 0; k < K; k++) row[k] = total > 0 ? row[k] / total : 1 / K;
    out.push(row);
  }
  return out;
}
