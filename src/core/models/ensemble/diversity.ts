/**
 * How differently members err (Kuncheva & Whitaker 2003). Pairwise measures come from the 2x2
 * table of "member i right / wrong" against "member j right / wrong" on the same texts:
 * N11 both right, N00 both wrong, N10 only i right, N01 only j right. Cohen's kappa compares the
 * predicted labels themselves (agreement beyond chance). An ensemble gains most from members
 * that are accurate and rarely wrong together (low double-fault, low Q).
 */
import { InputError } from '../../util/errors';
import { predictions, rowAccuracy, shapeOf, weightedAverage, type ProbRows } from './probs';

export interface PairTable {
  n11: number;
  n00: number;
  n10: number;
  n01: number;
}

export interface PairDiversity {
  /** Share of texts where exactly one of the two is right. */
  disagreement: number;
  /** Yule's Q: (N11 N00 - N01 N10) / (N11 N00 + N01 N10); 1 = always right and wrong together. NaN when undefined. */
  q: number;
  /** Correlation of the two error indicators (phi coefficient). NaN when a member is always right or always wrong. */
  errorCorrelation: number;
  /** Share of texts both get wrong. */
  doubleFault: number;
  /** Cohen's kappa between the two members' predicted labels. */
  kappa: number;
}

export function pairTable(predA: ArrayLike<number>, predB: ArrayLike<number>, labels: ArrayLike<number>): PairTable {
  if (predA.length !== labels.length || predB.length !== labels.length) throw new InputError('Predictions and labels differ in length');
  const t = { n11: 0, n00: 0, n10: 0, n01: 0 };
  for (let i = 0; i < labels.length; i++) {
    const a = predA[i] === labels[i];
    const b = predB[i] === labels[i];
    if (a && b) t.n11++;
    else if (!a && !b) t.n00++;
    else if (a) t.n10++;
    else t.n01++;
  }
  return t;
}

/** Cohen's kappa of two label sequences over K classes: (p_o - p_e) / (1 - p_e); 1 when p_e = 1 and they agree. */
export function cohenKappa(a: ArrayLike<number>, b: ArrayLike<number>, K: number): number {
  const n = a.length;
  const ca = new Float64Array(K);
  const cb = new Float64Array(K);
  let agree = 0;
  for (let i = 0; i < n; i++) {
    ca[a[i]]++;
    cb[b[i]]++;
    if (a[i] === b[i]) agree++;
  }
  const po = agree / n;
  let pe = 0;
  for (let k = 0; k < K; k++) pe += (ca[k] / n) * (cb[k] / n);
  return pe === 1 ? (po === 1 ? 1 : 0) : (po - pe) / (1 - pe);
}

export function pairDiversity(predA: ArrayLike<number>, predB: ArrayLike<number>, labels: ArrayLike<number>, K: number): PairDiversity {
  const { n11, n00, n10, n01 } = pairTable(predA, predB, labels);
  const n = labels.length;
  const num = n11 * n00 - n01 * n10;
  const qDen = n11 * n00 + n01 * n10;
  const rDen = Math.sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00));
  return {
    disagreement: (n01 + n10) / n,
    q: qDen === 0 ? NaN : num / qDen,
    errorCorrelation: rDen === 0 ? NaN : num / rDen,
    doubleFault: n00 / n,
    kappa: cohenKappa(predA, predB, K),
  };
}

export interface DiversityReport {
  /** pairs[i][j] for i != j (the diagonal compares a member with itself). */
  pairs: PairDiversity[][];
  /** Each member's own validation accuracy. */
  accuracy: number[];
  /** Accuracy of the ensemble of all members, and without each one (its marginal contribution is the difference). */
  ensembleAccuracy: number;
  without: number[];
  contribution: number[];
}

/**
 * The full report for the dashboard's heat map and contribution bars. `combine` gives the
 * ensemble's rows for a subset of members (default: equal-weight soft vote).
 */
export function diversityReport(
  members: readonly ProbRows[],
  labels: ArrayLike<number>,
  combine: (subset: readonly ProbRows[]) => ProbRows = (s) =>
    weightedAverage(
      s,
      s.map(() => 1),
    ),
): DiversityReport {
  const [, K] = shapeOf(members, labels);
  const preds = members.map(predictions);
  const pairs = preds.map((a) => preds.map((b) => pairDiversity(a, b, labels, K)));
  const ensembleAccuracy = rowAccuracy(combine(members), labels);
  const without = members.map((_, j) => (members.length === 1 ? NaN : rowAccuracy(combine(members.filter((__, i) => i !== j)), labels)));
  return { pairs, accuracy: members.map((m) => rowAccuracy(m, labels)), ensembleAccuracy, without, contribution: without.map((w) => ensembleAccuracy - w) };
}
