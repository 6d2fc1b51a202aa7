/**
 * A trial of a search and the two strategies that drive one: the sampler (which settings next,
 * given the trials so far) and the pruner (whether a running trial stops early). Every search
 * maximises its value (validation accuracy); a synthetic objective to minimise returns its negative.
 */
import type { Rng } from '../util/random';
import type { Dimension, Params } from './space';

export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/** One value a running trial reported: e.g. validation accuracy at the end of epoch `step`. */
export interface Intermediate {
  step: number;
  value: number;
}

export interface Trial {
  number: number;
  params: Params;
  state: TrialState;
  /** The final value of a complete trial (its last intermediate one for a pruned trial). */
  value?: number;
  intermediate: Intermediate[];
  seconds: number;
  /** Why a pruned or failed trial stopped. */
  reason?: string;
}

export interface Sampler {
  readonly name: 'random' | 'tpe' | 'grid';
  /** The next trial's settings, or undefined when the sampler has nothing left (a grid ran out). */
  sample(dims: readonly Dimension[], history: readonly Trial[], rng: Rng, number: number): Params | undefined;
}

export interface Pruner {
  readonly name: 'median' | 'halving' | 'none';
  /** Whether `trial`, which has just reported at `step`, should stop; `history` holds the other trials. */
  shouldPrune(trial: Trial, step: number, history: readonly Trial[]): boolean;
}
