/**
 * Early stopping of bad trials, both maximising and both reading the values a trial reports at
 * each step (a neural trial: validation accuracy at each epoch end).
 *
 * Median (Optuna's MedianPruner): at step s, once `nStartup` trials have completed and s is at
 * least `nWarmup`, a trial stops when its best value so far is below the median of the completed
 * trials' values at step s (trials with no value at s do not count; none at all: no decision).
 *
 * Successive halving (asynchronous, as ASHA and Optuna's SuccessiveHalvingPruner): rung k sits at
 * step minResource · eta^k. A trial reaching a rung competes with every trial that reached it
 * before (any state), by its value at the rung (the first it reported at or past the rung's step);
 * it goes on only if it is among the best 1/eta of them (the best of all while fewer than eta have
 * reached it, since a stopped trial cannot be resumed later).
 */
import type { Pruner, Trial } from './trial';

export interface MedianOptions {
  /** Completed trials needed before any trial is pruned. Default 5 (Optuna's). */
  nStartup?: number;
  /** Steps before a trial can be pruned. Default 0. */
  nWarmup?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function medianPruner(opts: MedianOptions = {}): Pruner {
  const nStartup = opts.nStartup ?? 5;
  const nWarmup = opts.nWarmup ?? 0;
  return {
    name: 'median',
    shouldPrune(trial, step, history) {
      const completed = history.filter((t) => t.state === 'complete' && t.number !== trial.number);
      if (completed.length === 0 || completed.length < nStartup) return false;
      if (step < nWarmup) return false;
      const own = trial.intermediate.filter((r) => r.step <= step).map((r) => r.value);
      if (own.length === 0) return false;
      const best = Math.max(...own);
      if (Number.isNaN(best)) return true;
      const atStep = completed.flatMap((t) => t.intermediate.filter((r) => r.step === step && !Number.isNaN(r.value)).map((r) => r.value));
      if (atStep.length === 0) return false;
      return best < median(atStep);
    },
  };
}

export interface HalvingOptions {
  /** Steps before the first rung. Default 1. */
  minResource?: number;
  /** Rungs grow, and survivors shrink, by this factor. Default 3. */
  eta?: number;
}

/** A trial's value at a rung: the first it reported at or past the rung's step. */
function rungValue(t: Trial, rungStep: number): number | undefined {
  return t.intermediate.find((r) => r.step >= rungStep)?.value;
}

export function halvingPruner(opts: HalvingOptions = {}): Pruner {
  const r = opts.minResource ?? 1;
  const eta = opts.eta ?? 3;
  if (!(r > 0) || !(eta >= 2)) throw new RangeError(`successive halving needs minResource > 0 and eta >= 2 (got ${r}, ${eta})`);
  return {
    name: 'halving',
    shouldPrune(trial, step, history) {
      const value = trial.intermediate.find((x) => x.step === step)?.value;
      if (value === undefined) return false;
      if (Number.isNaN(value)) return true;
      for (let k = 0; ; k++) {
        const rungStep = r * eta ** k;
        if (step < rungStep) return false;
        // Only rungs this step crosses are decided now; earlier rungs were decided at earlier steps.
        const earlier = trial.intermediate.some((x) => x.step < step && x.step >= rungStep);
        if (earlier) continue;
        const competing = history
          .filter((t) => t.number !== trial.number)
          .map((t) => rungValue(t, rungStep))
          .filter((v): v is number => v !== undefined && !Number.isNaN(v));
        competing.push(value);
        competing.sort((a, b) => a - b);
        const idx = Math.max(Math.floor(competing.length / eta) - 1, 0);
        if (value < competing[competing.length - 1 - idx]) return true;
      }
    },
  };
}

export const noPruner: Pruner = { name: 'none', shouldPrune: () => false };
