/**
 * Ensemble selection (Caruana, Niculescu-Mizil, Crew & Ksikes 2004): start from the best
 * member, then repeatedly add, with replacement, the member whose addition most improves the
 * validation score of the averaged probabilities; keep the bag at the best point of the path.
 * A member picked twice counts twice, which is how the method learns weights. With `maxMembers`
 * only that many distinct members may enter (pruning to N).
 */
import { InputError } from '../../util/errors';
import { argmaxRow, shapeOf, type ProbRows } from './probs';

export type SelectionMetric = 'logloss' | 'accuracy';

export interface SelectionOptions {
  /** Additions after the first member (Caruana uses tens to hundreds). */
  iterations?: number;
  /** At most this many distinct members. */
  maxMembers?: number;
  metric?: SelectionMetric;
}

export interface SelectionStep {
  member: number;
  /** Validation accuracy and log loss of the bag after this addition. */
  accuracy: number;
  logLoss: number;
  distinct: number;
}

export interface SelectionResult {
  /** Times each member is in the chosen bag; weights are counts / total. */
  counts: number[];
  weights: number[];
  /** Every addition, in order (the dashboard's accuracy against number of members). */
  path: SelectionStep[];
  /** Index in `path` of the chosen bag. */
  best: number;
}

function bagScores(sum: Float64Array[], extra: ProbRows | null, count: number, labels: ArrayLike<number>): { accuracy: number; logLoss: number } {
  const K = sum[0].length;
  const row = new Float64Array(K);
  let ok = 0;
  let ll = 0;
  for (let i = 0; i < sum.length; i++) {
    for (let k = 0; k < K; k++) row[k] = (sum[i][k] + (extra ? extra[i][k] : 0)) / count;
    if (argmaxRow(row) === labels[i]) ok++;
    ll -= Math.log(Math.max(row[labels[i]], 1e-15));
  }
  return { accuracy: ok / sum.length, logLoss: ll / sum.length };
}

// Log losses closer than this are ties: the same bag summed in another order differs in the last bits.
const EPS = 1e-12;
const better = (metric: SelectionMetric, a: { accuracy: number; logLoss: number }, b: { accuracy: number; logLoss: number }): boolean =>
  metric === 'accuracy' ? a.accuracy > b.accuracy || (a.accuracy === b.accuracy && a.logLoss < b.logLoss - EPS) : a.logLoss < b.logLoss - EPS;

/** Greedy forward selection with replacement on validation probabilities. Deterministic: ties go to the lower index. */
export function greedySelect(members: readonly ProbRows[], labels: ArrayLike<number>, opts: SelectionOptions = {}): SelectionResult {
  const [n, K] = shapeOf(members, labels);
  const M = members.length;
  const metric = opts.metric ?? 'logloss';
  const iterations = opts.iterations ?? 50;
  const maxMembers = opts.maxMembers ?? M;
  if (!(maxMembers >= 1)) throw new InputError(`maxMembers must be at least 1, got ${maxMembers}`);
  const sum = Array.from({ length: n }, () => new Float64Array(K));
  const counts = new Array<number>(M).fill(0);
  const path: SelectionStep[] = [];
  let best = 0;
  for (let step = 0; step <= iterations; step++) {
    const distinct = counts.filter((c) => c > 0).length;
    let pick = -1;
    let pickScore = { accuracy: -1, logLoss: Infinity };
    for (let m = 0; m < M; m++) {
      if (counts[m] === 0 && distinct >= maxMembers) continue;
      const s = bagScores(sum, members[m], step + 1, labels);
      if (pick < 0 || better(metric, s, pickScore)) {
        pick = m;
        pickScore = s;
      }
    }
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) sum[i][k] += members[pick][i][k];
    counts[pick]++;
    path.push({ member: pick, ...pickScore, distinct: counts.filter((c) => c > 0).length });
    if (better(metric, pickScore, path[best])) best = step;
  }
  const chosen = new Array<number>(M).fill(0);
  for (let s = 0; s <= best; s++) chosen[path[s].member]++;
  const total = best + 1;
  return { counts: chosen, weights: chosen.map((c) => c / total), path, best };
}
