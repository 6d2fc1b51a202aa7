/**
 * A cascade: models ordered from cheap to strong; a text stops at the first model whose top
 * probability reaches that model's threshold, and the last model answers whatever is left. The
 * thresholds are chosen on validation rows for a target (keep a share of the strongest model's
 * accuracy at the least cost, or send at most a share of texts to the last model at the best
 * accuracy). Cost is each model's measured seconds per 1,000 texts, paid by every text that
 * reaches it; a stage with threshold null is skipped (it answers nothing and costs nothing).
 */
import { InputError } from '../../util/errors';
import { argmaxRow, shapeOf, type ProbRows } from './probs';

export interface CascadeStage {
  name: string;
  /** Validation probabilities. */
  probs: ProbRows;
  /** Measured prediction cost (the efficiency measurement every run records). */
  secondsPer1000: number;
}

export interface CascadeOutcome {
  /** One per stage but the last; null = the stage is skipped. */
  thresholds: (number | null)[];
  accuracy: number;
  /** Share of texts answered at each stage (sums to 1). */
  coverage: number[];
  /** Accuracy on the texts each stage answered (NaN where it answered none). */
  stageAccuracy: number[];
  /** Share of texts that reach the last stage. */
  escalation: number;
  /** Expected seconds per 1,000 texts. */
  secondsPer1000: number;
}

export type CascadeTarget = { keepAccuracy: number } | { maxEscalation: number };

export interface CascadeChoice {
  chosen: CascadeOutcome;
  /** The last stage alone. */
  strongest: CascadeOutcome;
  /** chosen.secondsPer1000 / strongest.secondsPer1000. */
  costRatio: number;
  /** Accuracy against cost over the thresholds tried: the cheapest way to each accuracy, by cost. */
  curve: { secondsPer1000: number; accuracy: number; escalation: number; thresholds: (number | null)[] }[];
}

interface Prepared {
  conf: Float64Array[];
  right: Uint8Array[];
  cost: number[];
  n: number;
}

function prepare(stages: readonly CascadeStage[], labels: ArrayLike<number>): Prepared {
  if (stages.length < 2) throw new InputError('A cascade needs at least two models');
  const [n] = shapeOf(
    stages.map((s) => s.probs),
    labels,
  );
  stages.forEach((s) => {
    if (!(s.secondsPer1000 >= 0)) throw new InputError(`Stage "${s.name}" has no measured cost`);
  });
  return {
    conf: stages.map((s) => Float64Array.from(s.probs, (r) => r[argmaxRow(r)])),
    right: stages.map((s) => Uint8Array.from(s.probs, (r, i) => (argmaxRow(r) === labels[i] ? 1 : 0))),
    cost: stages.map((s) => s.secondsPer1000),
    n,
  };
}

function evaluate(p: Prepared, thresholds: readonly number[]): CascadeOutcome {
  const S = p.conf.length;
  const answered = new Array<number>(S).fill(0);
  const correct = new Array<number>(S).fill(0);
  const reached = new Array<number>(S).fill(0);
  for (let i = 0; i < p.n; i++) {
    for (let s = 0; s < S; s++) {
      const t = s < S - 1 ? thresholds[s] : -Infinity;
      if (t === Infinity) continue;
      reached[s]++;
      if (p.conf[s][i] >= t) {
        answered[s]++;
        correct[s] += p.right[s][i];
        break;
      }
    }
  }
  let cost = 0;
  for (let s = 0; s < S; s++) cost += (reached[s] / p.n) * p.cost[s];
  return {
    thresholds: thresholds.slice(0, S - 1).map((t) => (t === Infinity ? null : t)),
    accuracy: correct.reduce((a, b) => a + b, 0) / p.n,
    coverage: answered.map((a) => a / p.n),
    stageAccuracy: answered.map((a, s) => (a === 0 ? NaN : correct[s] / a)),
    escalation: reached[S - 1] / p.n,
    secondsPer1000: cost,
  };
}

/** The cascade's outcome on validation rows for given thresholds (null skips a stage). */
export function runCascade(stages: readonly CascadeStage[], labels: ArrayLike<number>, thresholds: readonly (number | null)[]): CascadeOutcome {
  const p = prepare(stages, labels);
  if (thresholds.length !== stages.length - 1) throw new InputError(`${stages.length} stages need ${stages.length - 1} thresholds, got ${thresholds.length}`);
  return evaluate(
    p,
    thresholds.map((t) => (t === null ? Infinity : t)),
  );
}

/** Candidate thresholds for one stage: its confidence quantiles, plus "skip". */
function candidates(conf: Float64Array, count: number): number[] {
  const sorted = Float64Array.from(conf).sort();
  const out = new Set<number>([Infinity]);
  for (let q = 0; q < count; q++) out.add(sorted[Math.round((q * (sorted.length - 1)) / Math.max(1, count - 1))]);
  return [...out].sort((a, b) => a - b);
}

/** Every combination of the stages' candidates (at most about `budget` of them). */
function* combinations(lists: number[][]): Generator<number[]> {
  const idx = new Array<number>(lists.length).fill(0);
  for (;;) {
    yield idx.map((j, s) => lists[s][j]);
    let s = lists.length - 1;
    while (s >= 0 && ++idx[s] === lists[s].length) idx[s--] = 0;
    if (s < 0) return;
  }
}

/**
 * Thresholds for `target`, chosen on validation rows over a grid of confidence quantiles
 * (`budget` combinations in all, spread evenly over the stages with a choice).
 */
export function chooseThresholds(stages: readonly CascadeStage[], labels: ArrayLike<number>, target: CascadeTarget, opts: { budget?: number } = {}): CascadeChoice {
  const p = prepare(stages, labels);
  const free = stages.length - 1;
  const perStage = Math.max(2, Math.floor(Math.pow(opts.budget ?? 4000, 1 / free)));
  const lists = p.conf.slice(0, free).map((c) => candidates(c, perStage));
  const strongest = evaluate(p, new Array<number>(free).fill(Infinity));
  const tried: CascadeOutcome[] = [];
  for (const t of combinations(lists)) tried.push(evaluate(p, t));
  let chosen = strongest;
  if ('keepAccuracy' in target) {
    const floor = target.keepAccuracy * strongest.accuracy;
    for (const o of tried)
      if (o.accuracy >= floor - 1e-12 && (o.secondsPer1000 < chosen.secondsPer1000 || (o.secondsPer1000 === chosen.secondsPer1000 && o.accuracy > chosen.accuracy))) chosen = o;
  } else {
    let best: CascadeOutcome | undefined;
    for (const o of tried)
      if (o.escalation <= target.maxEscalation + 1e-12 && (!best || o.accuracy > best.accuracy || (o.accuracy === best.accuracy && o.secondsPer1000 < best.secondsPer1000)))
        best = o;
    if (!best) throw new InputError(`No thresholds keep escalation under ${target.maxEscalation}`);
    chosen = best;
  }
  // The cheapest point at each accuracy, kept only while accuracy rises with cost.
  const curve: CascadeChoice['curve'] = [];
  for (const o of [...tried].sort((a, b) => a.secondsPer1000 - b.secondsPer1000 || b.accuracy - a.accuracy)) {
    if (curve.length && o.accuracy <= curve[curve.length - 1].accuracy) continue;
    curve.push({ secondsPer1000: o.secondsPer1000, accuracy: o.accuracy, escalation: o.escalation, thresholds: o.thresholds });
  }
  return { chosen, strongest, costRatio: strongest.secondsPer1000 > 0 ? chosen.secondsPer1000 / strongest.secondsPer1000 : NaN, curve };
}
