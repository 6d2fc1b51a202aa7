/**
 * The ensemble dashboard's figures, computed once when an ensemble or cascade run is made (its
 * members are loaded then) and saved with the run as `ensemble.json`: members' accuracy and
 * weight, pairwise diversity and marginal contributions, accuracy against the number of members
 * along Caruana's selection path, and the validation gain over the best member (paired bootstrap
 * interval, McNemar). Everything here reads validation rows only, inside the guard's
 * `ensemble-weighting` phase.
 */
import { pairedBootstrap } from '../eval/bootstrap';
import { mcnemar } from '../eval/significance';
import { withPhase } from '../guard/phase';
import type { CascadeChoice } from '../models/ensemble/cascade';
import { diversityReport } from '../models/ensemble/diversity';
import { predictions, rowAccuracy } from '../models/ensemble/probs';
import { greedySelect, type SelectionResult } from '../models/ensemble/selection';
import type { CascadeReport, EnsembleMemberInfo, EnsembleReport } from './ensemble-api';

export interface MemberRows {
  /** Each member's validation probabilities, in member order. */
  rows: Float32Array[][];
  labels: Int32Array;
}

/** Best accuracy with exactly d distinct members along the selection path, for each d reached. */
export function accuracyBySize(selection: SelectionResult): { size: number; accuracy: number }[] {
  const best = new Map<number, number>();
  for (const s of selection.path) best.set(s.distinct, Math.max(best.get(s.distinct) ?? -Infinity, s.accuracy));
  return [...best.entries()].sort((a, b) => a[0] - b[0]).map(([size, accuracy]) => ({ size, accuracy }));
}

/** The combined model's validation predictions against the most accurate member's on the same rows. */
export function gainOverBest(members: readonly { runId: string }[], fit: MemberRows, combined: readonly ArrayLike<number>[], seed: number): EnsembleReport['gain'] {
  const acc = fit.rows.map((r) => rowAccuracy(r, fit.labels));
  const best = acc.indexOf(Math.max(...acc));
  const ours = predictions(combined);
  const theirs = predictions(fit.rows[best]);
  const K = fit.rows[best][0]?.length ?? 0;
  const boot = pairedBootstrap(fit.labels, ours, theirs, K, { seed });
  return { over: members[best].runId, delta: boot.delta, interval: boot.ci, mcnemarP: mcnemar(fit.labels, ours, theirs).pValue };
}

export interface EnsembleReportInput {
  runId: string;
  kind: EnsembleReport['kind'];
  method?: EnsembleReport['method'];
  /** Members in order, without accuracy (measured here on the shared rows). */
  members: Omit<EnsembleMemberInfo, 'accuracy'>[];
  fit: MemberRows;
  /** The fitted model's validation probabilities (same rows). */
  combined: readonly ArrayLike<number>[];
  /** The selection the ensemble made, when it made one; otherwise the path is computed for the curve. */
  selection?: SelectionResult;
  cascade?: CascadeReport;
  seed: number;
}

export function ensembleReport(input: EnsembleReportInput): Promise<EnsembleReport> {
  return withPhase('ensemble-weighting', async () => {
    const { fit } = input;
    const selection = input.selection ?? greedySelect(fit.rows, fit.labels, { iterations: Math.max(10, 5 * fit.rows.length) });
    return {
      runId: input.runId,
      kind: input.kind,
      ...(input.method ? { method: input.method } : {}),
      members: input.members.map((m, j) => ({ ...m, accuracy: rowAccuracy(fit.rows[j], fit.labels) })),
      diversity: diversityReport(fit.rows, fit.labels),
      bySize: accuracyBySize(selection),
      gain: gainOverBest(input.members, fit, input.combined, input.seed),
      ...(input.cascade ? { cascade: input.cascade } : {}),
    };
  });
}

/** The dashboard's view of a cascade's validation choice; `chosen` indexes the curve (the chosen point is added when the curve's pruning left it out). */
export function cascadeReport(members: readonly string[], choice: CascadeChoice): CascadeReport {
  const c = choice.chosen;
  const point = (p: { secondsPer1000: number; accuracy: number; thresholds: (number | null)[] }) => ({
    secondsPer1000: p.secondsPer1000,
    accuracy: p.accuracy,
    threshold: p.thresholds[0] ?? Infinity,
  });
  const same = (a: (number | null)[], b: (number | null)[]) => a.length === b.length && a.every((t, i) => t === b[i]);
  const curve = choice.curve.map(point);
  let chosen = choice.curve.findIndex((p) => same(p.thresholds, c.thresholds));
  if (chosen < 0) {
    chosen = curve.filter((p) => p.secondsPer1000 < c.secondsPer1000 || (p.secondsPer1000 === c.secondsPer1000 && p.accuracy > c.accuracy)).length;
    curve.splice(chosen, 0, point(c));
  }
  return {
    stages: members.map((runId, j) => ({ runId, threshold: j < members.length - 1 ? c.thresholds[j] : null, coverage: c.coverage[j], accuracy: c.stageAccuracy[j] })),
    accuracy: c.accuracy,
    escalated: c.escalation,
    costRatio: choice.costRatio,
    curve,
    chosen,
  };
}
