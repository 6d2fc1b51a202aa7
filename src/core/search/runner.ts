/**
 * The trial loop: ask the sampler for settings, run the objective, let it report intermediate
 * values to the pruner, record the outcome, until the trial budget, the sampler or the time limit
 * runs out. Deterministic for a seed: trial n draws from its own Rng derived from (seed, n), and
 * the trials run one after another. A timeout stops starting trials; the running one finishes.
 */
import { CancelledError, LabError, throwIfAborted } from '../util/errors';
import { deriveSeed, Rng } from '../util/random';
import type { Dimension, Params } from './space';
import type { Pruner, Sampler, Trial } from './trial';

/** Thrown by an objective that stopped because `report` said to prune. */
export class TrialPruned extends Error {
  constructor(readonly step: number) {
    super(`pruned at step ${step}`);
  }
}

export interface TrialHandle {
  number: number;
  /** Records a value at `step`; true when the pruner says to stop (the objective then throws TrialPruned). */
  report(step: number, value: number): boolean;
}

/** One trial's value (higher is better), or a thrown TrialPruned. */
export type Objective = (params: Params, trial: TrialHandle) => Promise<number>;

export interface SearchProgress {
  /** Trials finished (complete, pruned or failed) of the budget. */
  done: number;
  total: number;
  best?: Trial;
  /** Seconds left at the mean pace of the trials so far (capped by the time limit). */
  secondsLeft?: number;
  /** The trial that just finished or started. */
  trial: Trial;
}

export interface SearchOptions {
  dims: readonly Dimension[];
  sampler: Sampler;
  pruner: Pruner;
  trials: number;
  seed: number;
  /** Stop starting trials after this many seconds. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  onTrial?: (p: SearchProgress) => void;
  /** Seconds clock; default performance.now. */
  now?: () => number;
}

export interface SearchRun {
  trials: Trial[];
  best: Trial;
  /** Why the loop stopped before the budget: the grid ran out, the time limit. */
  stopped?: string;
}

/** The best complete trial; ties keep the earlier one. */
export function bestTrial(trials: readonly Trial[]): Trial | undefined {
  return trials.filter((t) => t.state === 'complete' && Number.isFinite(t.value)).reduce<Trial | undefined>((a, t) => (!a || t.value! > a.value! ? t : a), undefined);
}

export async function runSearch(objective: Objective, o: SearchOptions): Promise<SearchRun> {
  if (!(Number.isInteger(o.trials) && o.trials >= 1)) throw new LabError(`A search needs a trial budget of at least 1 (got ${o.trials})`);
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds > 0)) throw new LabError(`The time limit must be a positive number of seconds (got ${o.timeoutSeconds})`);
  const now = o.now ?? (() => performance.now() / 1000);
  const t0 = now();
  const trials: Trial[] = [];
  let stopped: string | undefined;
  const progress = (trial: Trial) => {
    const done = trials.filter((t) => t.state !== 'running').length;
    const elapsed = now() - t0;
    let secondsLeft = done > 0 ? (elapsed / done) * (o.trials - done) : undefined;
    if (secondsLeft !== undefined && o.timeoutSeconds !== undefined) secondsLeft = Math.min(secondsLeft, Math.max(0, o.timeoutSeconds - elapsed));
    o.onTrial?.({ done, total: o.trials, best: bestTrial(trials), secondsLeft, trial });
  };
  for (let n = 0; n < o.trials; n++) {
    throwIfAborted(o.signal);
    if (o.timeoutSeconds !== undefined && now() - t0 >= o.timeoutSeconds) {
      stopped = `the time limit of ${o.timeoutSeconds} s was reached after ${n} trials`;
      break;
    }
    const params = o.sampler.sample(o.dims, trials, new Rng(deriveSeed(o.seed, `trial-${n}`)), n);
    if (!params) {
      stopped = `the ${o.sampler.name} sampler ran out of settings after ${n} trials`;
      break;
    }
    const trial: Trial = { number: n, params, state: 'running', intermediate: [], seconds: 0 };
    trials.push(trial);
    progress(trial);
    const start = now();
    const handle: TrialHandle = {
      number: n,
      report(step, value) {
        if (trial.intermediate.some((r) => r.step === step)) return false;
        trial.intermediate.push({ step, value });
        return o.pruner.shouldPrune(trial, step, trials);
      },
    };
    try {
      trial.value = await objective(params, handle);
      trial.state = 'complete';
    } catch (e) {
      if (e instanceof TrialPruned) {
        trial.state = 'pruned';
        trial.value = trial.intermediate.at(-1)?.value;
        trial.reason = `stopped by the ${o.pruner.name} pruner at step ${e.step}`;
      } else if (e instanceof CancelledError || o.signal?.aborted) {
        throw e instanceof CancelledError ? e : new CancelledError('The search was cancelled');
      } else {
        trial.state = 'failed';
        trial.reason = e instanceof Error ? e.message : String(e);
      }
    }
    trial.seconds = now() - start;
    progress(trial);
  }
  const best = bestTrial(trials);
  if (!best) {
    const failed = trials.find((t) => t.state === 'failed');
    throw new LabError(failed ? `No trial of the search completed; trial ${failed.number} failed: ${failed.reason}` : 'No trial of the search completed (all were pruned)');
  }
  return { trials, best, stopped };
}
