/**
 * The types of the lab's hyper-parameter search (search-lab.ts): what the page and the CLI ask
 * for, what each trial streams and what the search hands back. Types only.
 */
import type { BackendChoice } from '../experiment/result';
import type { Intermediate, TrialState } from '../search/trial';

export type SamplerName = 'tpe' | 'random' | 'grid';
export type PrunerName = 'median' | 'halving' | 'none';
export const SAMPLERS: readonly SamplerName[] = ['tpe', 'random', 'grid'];
export const PRUNERS: readonly PrunerName[] = ['median', 'halving', 'none'];

export interface SearchRequest {
  datasetId: string;
  /** The base experiment config; each trial is it with the trial's settings applied. */
  config: unknown;
  /** Setting paths of the config to a list of choices or `{ low, high, log?, int? }`. */
  space: unknown;
  /** The trial budget. */
  trials: number;
  /** Default tpe. */
  sampler?: SamplerName;
  /** Default median (neural trials only: a classical trial is one fit and cannot be stopped halfway). */
  pruner?: PrunerName;
  /** Stop starting trials after this many seconds. */
  timeoutSeconds?: number;
  /** The sampler's seed (default the config's seed; every trial trains with the config's seed). */
  seed?: number;
  /** Which completed trials stay as finished runs: the best (default) or all. */
  keep?: 'best' | 'all';
  backend?: BackendChoice;
  /** Where the summary (search.json) goes, as a run id (the terminal: the --out folder). Default a new id. */
  searchId?: string;
  /** Trial runs are `<trialPrefix><number>` (three digits). Default `<searchId>-trial-`. */
  trialPrefix?: string;
  /** Where the data came from, for the runs' records. */
  source?: string;
  /** Replace a search (and its kept runs) already at `searchId`. */
  overwrite?: boolean;
}

export interface SearchTrialRecord {
  number: number;
  params: Record<string, unknown>;
  state: TrialState;
  /** Validation accuracy (a pruned trial: the last one it reported). */
  value?: number;
  macroF1?: number;
  /** Validation accuracy at each epoch end (neural trials). */
  intermediate: Intermediate[];
  seconds: number;
  reason?: string;
  /** The finished run this trial left, when it is kept. */
  runId?: string;
}

/** The search's summary record (search.json): the request, every trial and the best. */
export interface SearchOutcome {
  searchId: string;
  datasetId: string;
  metric: 'accuracy';
  split: 'validation';
  sampler: SamplerName;
  pruner: PrunerName;
  seed: number;
  budget: number;
  space: Record<string, unknown>;
  trials: SearchTrialRecord[];
  best: SearchTrialRecord;
  /** The best trial's run (always kept). */
  bestRunId: string;
  /** The base config with the best settings applied, ready to train. */
  bestConfig: unknown;
  /** Every run the search kept (open them in Compare). */
  kept: string[];
  /** Why it stopped before the budget. */
  stopped?: string;
  seconds: number;
  createdAt: string;
}

/** What a search streams besides its trials' own training events. */
export type SearchEvent = {
  type: 'search-trial';
  searchId: string;
  /** Trials finished of the budget. */
  done: number;
  total: number;
  secondsLeft?: number;
  trial: SearchTrialRecord;
  best?: SearchTrialRecord;
};
