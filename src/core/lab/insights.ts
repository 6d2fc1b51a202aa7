/**
 * The lab's questions about finished runs and about settings: what a run recorded, how robust
 * it is, what a linear model looks at, why a model predicted what it did, and which grid point
 * of a classical config does best on the validation split. Each loads what it needs from
 * storage and releases the model before returning.
 */
import { loadTrainingData } from '../data';
import { robustnessReport, type RobustnessReport } from '../eval/robustness';
import { parseExperimentConfig } from '../experiment/config';
import type { ValidationAnalysis } from '../experiment/analysis';
import { experimentSplits } from '../experiment/pipeline';
import type { TestEvaluation } from '../experiment/test-evaluation';
import { expandGrid, gridSearch } from '../models/selection/grid-search';
import type { TopFeature } from '../models/classical/linear';
import type { Estimator, TokenAttribution } from '../models/estimator';
import { createEstimator } from '../models/registry';
import { capabilitiesOf } from '../models/traits';
import type { RunFolder } from '../runs/run-folder';
import type { BlobStore } from '../storage/port';
import { withPhase, type Alert, type RiskReport } from '../guard';
import { ConfigError, LabError } from '../util/errors';
import type { Example } from '../data/types';
import type { ModelOpener, OpenedRun } from './run-model';
import type { GridSearchOutcome, GridSearchRequest, LabEvent, RunDetail } from './api';

type Extras = Pick<RunDetail, 'risk' | 'analysis' | 'testEvals' | 'safety'>;

/** The reports a run wrote besides its result: risk, validation analysis, test evaluations. */
export async function runExtras(run: RunFolder): Promise<Extras> {
  const names = await run.fileNames();
  const testEvals: TestEvaluation[] = [];
  for (const n of names.filter((x) => x.startsWith('eval-test-'))) {
    const e = await run.readJson<TestEvaluation>(n);
    if (e) testEvals.push(e);
  }
  const guard = await run.readJson<{ safety?: { overridden: boolean; reason?: string } }>('guard.json');
  return {
    risk: await run.readJson<RiskReport & { alerts: Alert[] }>('risk.json'),
    analysis: await run.readJson<ValidationAnalysis>('eval-validation.json'),
    testEvals,
    safety: guard?.safety ? { overridden: guard.safety.overridden, reason: guard.safety.reason } : undefined,
  };
}

/** Perturbed copies of (a prefix of) the validation split, with a fixed seed so reruns agree. */
export function robustnessOf(
  open: ModelOpener,
  validationOf: (opened: OpenedRun) => Promise<Example[]>,
  runId: string,
  opts: { rate?: number; limit?: number } = {},
): Promise<RobustnessReport> {
  return open(runId, async (opened) => {
    const examples = (await validationOf(opened)).slice(0, opts.limit ?? 1000);
    const report = await withPhase('validation', () => robustnessReport(opened.model, examples, { seed: 1, rate: opts.rate ?? 0.1 }));
    await opened.run.writeJson('robustness.json', report);
    return report;
  });
}

export function topFeaturesOf(open: ModelOpener, runId: string, k = 20): Promise<{ class: string; features: TopFeature[] }[]> {
  return open(runId, async ({ model }) => {
    const m = model as Estimator & { topFeatures?: (k: number) => { class: string; features: TopFeature[] }[] };
    if (typeof m.topFeatures !== 'function') throw new LabError(`A ${model.kind} model has no per-feature weights to show; token attributions (Explain) work for neural models.`);
    return m.topFeatures(k);
  });
}

export function explainOf(open: ModelOpener, runId: string, text: string, target?: number): Promise<TokenAttribution & { classes: string[] }> {
  if (typeof text !== 'string' || text.trim() === '') return Promise.reject(new LabError('Type a text to explain.'));
  return open(runId, async ({ model, meta }) => {
    if (typeof model.explain !== 'function') throw new LabError(`A ${model.kind} model does not give token attributions; for linear models see the per-class feature weights.`);
    return { ...(await model.explain(text, target)), classes: meta.classes };
  });
}

/** Sets `path` ("a.b.c") inside a copy of `obj`. */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const copy = { ...obj };
  copy[head] = rest.length === 0 ? value : setPath((obj[head] as Record<string, unknown>) ?? {}, rest.join('.'), value);
  return copy;
}

export async function gridSearchOf(store: BlobStore, req: GridSearchRequest, signal: AbortSignal, onEvent: (e: LabEvent) => void): Promise<GridSearchOutcome> {
  const config = parseExperimentConfig(req.config, 'config');
  if (!capabilitiesOf(config.model.type).gridSearch)
    throw new LabError('Grid search runs on classical models (seconds per fit); tune neural models with early stopping on validation instead.');
  const keys = Object.keys(req.grid ?? {});
  if (keys.length === 0) throw new ConfigError('The grid is empty: give at least one setting and its values.');
  for (const k of keys) if (!Array.isArray(req.grid[k]) || req.grid[k].length === 0) throw new ConfigError(`grid.${k}: expected a non-empty list of values`);
  const rawWith = (params: Record<string, unknown>) => ({
    ...(req.config as object),
    model: Object.entries(params).reduce((m, [k, v]) => setPath(m, k, v), { ...(req.config as { model: Record<string, unknown> }).model }),
  });
  const withParams = (params: Record<string, unknown>) => parseExperimentConfig(rawWith(params), `grid point ${JSON.stringify(params)}`);
  // Every point is validated before the first fit, so a typo fails fast rather than after minutes.
  for (const p of expandGrid(req.grid)) withParams(p);
  const data = await loadTrainingData(store, req.datasetId);
  // The same subsets the run would train and validate on, so the winner transfers.
  const { train, validation } = experimentSplits(config, data);
  const result = await withPhase('search', () =>
    gridSearch((params) => createEstimator(withParams(params).model), req.grid, train, validation, { classes: data.meta.classes, seed: config.seed, signal, onEvent }),
  );
  return {
    metric: 'accuracy',
    results: result.results.map((r) => ({ params: r.params, accuracy: r.accuracy, macroF1: r.macroF1, fitSeconds: r.fitSeconds })),
    best: { params: result.best.params, accuracy: result.best.accuracy, macroF1: result.best.macroF1 },
    bestConfig: rawWith(result.best.params),
  };
}
