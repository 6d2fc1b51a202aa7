/**
 * The lab's hyper-parameter search: trials of any model family, each the base config with the
 * sampler's settings applied, trained through the same pipeline as `train` (so each is a real
 * run, with its record and reports) and scored on the validation split inside the guard's
 * `search` phase, where the test split cannot be read. A neural trial reports its validation
 * accuracy at each epoch end; when the pruner rejects it, its run is stopped through its own
 * AbortSignal and deleted. A classical trial is one fit: it is never pruned. At the end the best
 * run (or every completed one, with keep "all") stays, the others are deleted, and the summary
 * is written as `search.json` under the search's id.
 */
import { loadTrainingData } from '../data';
import { parseExperimentConfig, type ExperimentConfig } from '../experiment/config';
import type { BackendChoice, ResultRecord } from '../experiment/result';
import { withPhase } from '../guard';
import { modelFamily } from '../models/registry';
import type { RunHome } from '../runs/run-home';
import { newRunId } from '../runs/run-id';
import { gridSampler } from '../search/grid';
import { halvingPruner, medianPruner, noPruner } from '../search/pruners';
import { randomSampler } from '../search/random';
import { runSearch, TrialPruned, type Objective, type SearchProgress } from '../search/runner';
import { parseSpace, probeValues, withParams, type Dimension } from '../search/space';
import { tpeSampler } from '../search/tpe';
import type { Pruner, Sampler, Trial } from '../search/trial';
import type { BlobStore } from '../storage/port';
import { ConfigError, LabError, StorageError } from '../util/errors';
import type { LabEvent } from './api';
import type { ExperimentCall } from './distill';
import { PRUNERS, SAMPLERS, type PrunerName, type SamplerName, type SearchOutcome, type SearchRequest, type SearchTrialRecord } from './search-api';

export interface SearchDeps {
  store: BlobStore;
  runs: RunHome;
  exclusive: <T>(runId: string | undefined, job: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  /** One experiment as the lab's train runs it (backend chosen and fallen back by the lab). */
  experiment: (args: ExperimentCall, backend?: BackendChoice) => Promise<ResultRecord>;
  /** The model with the files it references read in (a WordPiece vocabulary). */
  withAssets: (model: ExperimentConfig['model']) => Promise<ExperimentConfig['model']>;
}

export const SEARCH_FILE = 'search.json';

function samplerOf(name: SamplerName): Sampler {
  return name === 'tpe' ? tpeSampler() : name === 'random' ? randomSampler : gridSampler;
}

function prunerOf(name: PrunerName): Pruner {
  return name === 'median' ? medianPruner() : name === 'halving' ? halvingPruner() : noPruner;
}

/** The request checked before any data is read or any trial trains: names, budget, and every value of the space against the config. */
export function checkSearch(req: SearchRequest): { base: ExperimentConfig; dims: Dimension[]; sampler: SamplerName; pruner: PrunerName; seed: number } {
  const base = parseExperimentConfig(req.config, 'config');
  if (base.distill) throw new ConfigError('A search trains plain configs: drop the distill block (distil the best trial afterwards).');
  if (base.model.type === 'ensemble' || base.model.type === 'cascade')
    throw new ConfigError(`A ${base.model.type} is built from finished runs, not trained: there is nothing to search.`);
  const sampler = req.sampler ?? 'tpe';
  const pruner = req.pruner ?? 'median';
  if (!SAMPLERS.includes(sampler)) throw new ConfigError(`Unknown sampler "${String(sampler)}": expected ${SAMPLERS.join(', ')}`);
  if (!PRUNERS.includes(pruner)) throw new ConfigError(`Unknown pruner "${String(pruner)}": expected ${PRUNERS.join(', ')}`);
  if (req.keep !== undefined && req.keep !== 'best' && req.keep !== 'all') throw new ConfigError(`keep must be "best" or "all" (got "${String(req.keep)}")`);
  if (!(Number.isInteger(req.trials) && req.trials >= 1)) throw new ConfigError(`The trial budget must be a whole number >= 1 (got ${req.trials})`);
  if (req.timeoutSeconds !== undefined && !(req.timeoutSeconds > 0)) throw new ConfigError(`The time limit must be a positive number of seconds (got ${req.timeoutSeconds})`);
  const seed = req.seed ?? base.seed;
  if (!(Number.isInteger(seed) && seed >= 0)) throw new ConfigError(`The search seed must be a whole number >= 0 (got ${seed})`);
  const dims = parseSpace(req.space, 'space');
  // Each end of every range and every choice must make a valid config: a typo in a path or a
  // value out of the schema's bounds fails now, not after an hour of trials.
  for (const d of dims) for (const v of probeValues(d)) parseExperimentConfig(withParams(req.config, { [d.path]: v }), `space: ${d.path} = ${JSON.stringify(v)}`);
  return { base, dims, sampler, pruner, seed };
}

function record(t: Trial, macroF1: Map<number, number>, runId?: string): SearchTrialRecord {
  return {
    number: t.number,
    params: t.params,
    state: t.state,
    value: t.value,
    macroF1: macroF1.get(t.number),
    intermediate: [...t.intermediate],
    seconds: t.seconds,
    reason: t.reason,
    runId,
  };
}

export async function searchOf(deps: SearchDeps, req: SearchRequest, onEvent: (e: LabEvent) => void): Promise<SearchOutcome> {
  const { base, dims, sampler, pruner, seed } = checkSearch(req);
  let searchId = req.searchId ?? newRunId(`search-${base.name}`);
  while (!req.searchId && (await deps.runs.folder(searchId).readJson(SEARCH_FILE))) searchId = newRunId(`search-${base.name}`);
  const prefix = req.trialPrefix ?? `${searchId}-trial-`;
  const trialId = (n: number) => `${prefix}${String(n).padStart(3, '0')}`;
  return deps.exclusive(undefined, async (signal) => {
    const home = deps.runs.folder(searchId);
    const previous = await home.readJson<SearchOutcome>(SEARCH_FILE);
    if (previous && !req.overwrite) throw new StorageError(`${searchId} already holds a search (${previous.createdAt}): choose another place, or replace it on purpose (--force).`);
    for (const id of previous?.kept ?? []) await deps.runs.remove(id);
    const data = await loadTrainingData(deps.store, req.datasetId);
    // A vocabulary that cannot be read fails the search before the first trial.
    await deps.withAssets(base.model);
    const results = new Map<number, ResultRecord>();
    const macroF1 = new Map<number, number>();
    const t0 = performance.now();

    const objective: Objective = async (params, trial) => {
      const config = parseExperimentConfig(withParams(req.config, params), `trial ${trial.number} ${JSON.stringify(params)}`);
      const runId = trialId(trial.number);
      config.name = `${base.name}-trial-${String(trial.number).padStart(3, '0')}`;
      // A referenced vocabulary is cached in the lab's store after the first trial reads it.
      config.model = await deps.withAssets(config.model);
      const controller = new AbortController();
      const cancel = () => controller.abort();
      signal.addEventListener('abort', cancel, { once: true });
      let prunedAt: number | undefined;
      // A classical fit is single-shot: the one "epoch" row it gets is its final score, not a step to prune at.
      const iterative = modelFamily(config.model.type) !== 'classical';
      try {
        const result = await deps.experiment(
          {
            config,
            data,
            run: deps.runs.folder(runId),
            runId,
            signal: controller.signal,
            source: req.source,
            overwrite: req.overwrite,
            onEvent: (e) => {
              onEvent(e);
              if (iterative && e.type === 'epoch' && e.validation && prunedAt === undefined && trial.report(e.epoch, e.validation.accuracy)) {
                prunedAt = e.epoch;
                controller.abort();
              }
            },
          },
          req.backend,
        );
        results.set(trial.number, result);
        macroF1.set(trial.number, result.validation.macroF1);
        return result.validation.accuracy;
      } catch (e) {
        await deps.runs.remove(runId).catch(() => undefined);
        if (prunedAt !== undefined && !signal.aborted) throw new TrialPruned(prunedAt);
        throw e;
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    };

    const onTrial = (p: SearchProgress) =>
      onEvent({
        type: 'search-trial',
        searchId,
        done: p.done,
        total: p.total,
        secondsLeft: p.secondsLeft,
        trial: record(p.trial, macroF1),
        best: p.best && record(p.best, macroF1),
      });
    let run;
    try {
      run = await withPhase('search', () =>
        runSearch(objective, { dims, sampler: samplerOf(sampler), pruner: prunerOf(pruner), trials: req.trials, seed, timeoutSeconds: req.timeoutSeconds, signal, onTrial }),
      );
    } catch (e) {
      // A cancelled or failed search leaves nothing half-kept: its finished trials go too.
      for (const n of results.keys()) await deps.runs.remove(trialId(n)).catch(() => undefined);
      throw e;
    }
    const keep = new Set(run.trials.filter((t) => t.state === 'complete' && (req.keep === 'all' || t === run.best)).map((t) => t.number));
    for (const n of results.keys()) if (!keep.has(n)) await deps.runs.remove(trialId(n));
    const trials = run.trials.map((t) => record(t, macroF1, keep.has(t.number) ? trialId(t.number) : undefined));
    const best = trials[run.best.number];
    if (!best.runId) throw new LabError('The best trial left no run');
    const outcome: SearchOutcome = {
      searchId,
      datasetId: req.datasetId,
      metric: 'accuracy',
      split: 'validation',
      sampler,
      pruner,
      seed,
      budget: req.trials,
      space: req.space as Record<string, unknown>,
      trials,
      best,
      bestRunId: best.runId,
      bestConfig: withParams(req.config, best.params),
      kept: trials.filter((t) => t.runId).map((t) => t.runId!),
      stopped: run.stopped,
      seconds: (performance.now() - t0) / 1000,
      createdAt: new Date().toISOString(),
    };
    await home.writeJson(SEARCH_FILE, outcome);
    return outcome;
  });
}
