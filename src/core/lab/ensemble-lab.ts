/**
 * Ensembles and cascades as runs. Members are finished runs of any family, opened through the
 * run tree (member-runs.ts) and referenced by id, never copied. The run itself goes through the
 * same experiment pipeline as training: config check, the fit (weights, meta-learner,
 * calibration or thresholds, all on validation or out-of-fold train rows, in the guard's
 * `ensemble-weighting` phase), the validation report, measured prediction speed and one final
 * commit; so evaluateTest, predict, explain, compare and report take the result like any run.
 */
import { loadTrainingData } from '../data';
import { parseExperimentConfig, type ExperimentConfig } from '../experiment/config';
import { runExperiment } from '../experiment/pipeline';
import type { BackendInfo, ResultRecord } from '../experiment/result';
import { CascadeEstimator } from '../models/ensemble/cascade-estimator';
import { CASCADE_KIND, ENSEMBLE_KIND } from '../models/ensemble/config';
import { EnsembleEstimator } from '../models/ensemble/ensemble-estimator';
import type { Estimator, LoadEnv } from '../models/estimator';
import { createEstimator, trainsWithTensors, type ModelConfig } from '../models/registry';
import { readFinishedRun, type FinishedRun } from '../runs/finished-run';
import type { RunMeta } from '../runs/run-folder';
import type { RunHome } from '../runs/run-home';
import { newRunId } from '../runs/run-id';
import type { BlobStore } from '../storage/port';
import { InputError, NotFoundError } from '../util/errors';
import type { LabEvent } from './api';
import type { CascadeRequest, EnsembleReport, EnsembleRequest, StackingPlan } from './ensemble-api';
import { cascadeReport, ensembleReport } from './ensemble-report';
import { memberResolver, readArtifactTree, treeNeedsTensors, type ArtifactTree } from './member-runs';

export const ENSEMBLE_REPORT_FILE = 'ensemble.json';
/** Stacking's k-fold re-fits (the ensemble config's default). */
const STACKING_FOLDS = 5;

export interface EnsembleLabDeps {
  runs: RunHome;
  store: BlobStore;
  env: LoadEnv;
  /** One job at a time (the lab's lock on its backend and its cancel button). */
  exclusive: <T>(runId: string | undefined, job: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  /** The tensor backend, started only when a member needs it. */
  startBackend: () => Promise<BackendInfo>;
  /** What a run that starts no tensor backend records. */
  plain: BackendInfo;
  /** Makes sure a run's dataset is in the store (imported again from its recorded source where the platform can). */
  datasetOf: (meta: RunMeta, onEvent?: (e: LabEvent) => void) => Promise<void>;
  /** A member config with the files it references read in (a WordPiece vocabulary), for stacking's re-fits. */
  withAssets: (model: ModelConfig) => Promise<ModelConfig>;
  heapBytes?: () => number | undefined;
}

interface Member extends FinishedRun {
  runId: string;
  parsed: ExperimentConfig;
}

/** The member runs, checked: at least two, distinct, finished, on `datasetId`, none of them the new run. */
async function readMembers(runs: RunHome, datasetId: string, ids: string[], runId: string | undefined, what: string): Promise<Member[]> {
  if (ids.length < 2) throw new InputError(`${what} needs at least two member runs, got ${ids.length}`);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new InputError(`${what}: member run ${twice} is listed twice`);
  if (runId !== undefined && ids.includes(runId)) throw new InputError(`${what}: the run ${runId} cannot be its own member`);
  const members: Member[] = [];
  for (const id of ids) {
    const f = await readFinishedRun(runs.folder(id), `Member run ${id}`);
    if (f.meta.datasetId !== datasetId) throw new InputError(`Member run ${id} was trained on dataset ${f.meta.datasetId}, not ${datasetId}: members must share one dataset`);
    if (members.length && f.meta.classes.join('\n') !== members[0].meta.classes.join('\n'))
      throw new InputError(`Member run ${id} predicts the classes ${f.meta.classes.join(', ')}, not ${members[0].meta.classes.join(', ')}`);
    members.push({ ...f, runId: id, parsed: parseExperimentConfig(f.config, `${id}/config.json`) });
  }
  return members;
}

/**
 * The ensemble's data section: the members' common subsets. Stacking re-fits on the train split
 * this gives, so members trained on a slice are re-fitted on a slice of the same size.
 */
function commonData(members: Member[]): ExperimentConfig['data'] {
  const most = (k: 'maxTrain' | 'maxValidation') => (members.every((m) => m.parsed.data[k]) ? Math.max(...members.map((m) => m.parsed.data[k]!)) : undefined);
  const maxTrain = most('maxTrain');
  const maxValidation = most('maxValidation');
  return { ...(maxTrain ? { maxTrain } : {}), ...(maxValidation ? { maxValidation } : {}) };
}

/** Whether stacking can re-fit a member's config on folds of train, and why not. */
function refitability(m: Member): { refittable: boolean; reason?: string } {
  const type = m.parsed.model.type;
  if (type === ENSEMBLE_KIND || type === CASCADE_KIND) return { refittable: false, reason: 'it is itself an ensemble of runs: it has no training config of its own to re-fit' };
  if (m.result.data.train === 0 || m.meta.configName.startsWith('import-'))
    return { refittable: false, reason: 'it is an imported model: its weights were trained elsewhere, on data this lab cannot re-fit on' };
  return { refittable: true };
}

function plan(members: Member[], folds: number, trainSize: number): StackingPlan {
  return members.map((m) => {
    const r = refitability(m);
    if (!r.refittable) return { runId: m.runId, ...r };
    // Each fold fits on (k-1)/k of the train split; the member's own fit time scales with its data.
    const perExample = m.result.timings.trainSeconds / Math.max(1, m.result.data.train);
    return { runId: m.runId, refittable: true, estimatedSeconds: Math.round(perExample * trainSize * (folds - 1) * 10) / 10 };
  });
}

export function ensembleLab(deps: EnsembleLabDeps) {
  const { runs } = deps;

  const unusedRunId = async (requested: string | undefined, name: string) => {
    let runId = requested ?? newRunId(name);
    while (!requested && (await runs.folder(runId).meta())) runId = newRunId(name);
    return runId;
  };

  /** Runs an ensemble or cascade config through the pipeline, with its members loaded before the fit. */
  const runComposite = async (
    members: Member[],
    config: ExperimentConfig,
    req: { runId?: string; overwrite?: boolean },
    onEvent: (e: LabEvent) => void,
    ready: (est: Estimator, tree: ArtifactTree) => Promise<void>,
    finish: (runId: string) => NonNullable<Parameters<typeof runExperiment>[0]['finish']>,
    needsTensorsToFit: boolean,
  ): Promise<ResultRecord> => {
    const runId = await unusedRunId(req.runId, config.name);
    return deps.exclusive(runId, async (signal) => {
      await deps.datasetOf(members[0].meta, onEvent);
      const data = await loadTrainingData(deps.store, members[0].meta.datasetId);
      const tree: ArtifactTree = new Map();
      for (const m of members) await readArtifactTree(runs, m.runId, tree);
      const tensors = needsTensorsToFit || members.some((m) => treeNeedsTensors(tree, m.runId));
      const backend = tensors ? await deps.startBackend() : deps.plain;
      return runExperiment({
        config,
        data,
        run: runs.folder(runId),
        runId,
        backend,
        signal,
        onEvent,
        overwrite: req.overwrite,
        heapBytes: deps.heapBytes,
        source: members[0].meta.source,
        prepare: (est) => ready(est, tree),
        finish: finish(runId),
      });
    });
  };

  const memberInfo = (m: Member) => ({ runId: m.runId, configName: m.meta.configName, model: m.meta.model });

  return {
    async stackingPlan(runIds: string[]): Promise<StackingPlan> {
      const members: Member[] = [];
      for (const id of runIds) {
        const f = await readFinishedRun(runs.folder(id), `Run ${id}`);
        members.push({ ...f, runId: id, parsed: parseExperimentConfig(f.config, `${id}/config.json`) });
      }
      const train = commonData(members).maxTrain ?? Math.max(...members.map((m) => m.result.data.train));
      return plan(members, STACKING_FOLDS, train);
    },

    async ensemble(req: EnsembleRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord> {
      const members = await readMembers(runs, req.datasetId, req.members, req.runId, 'An ensemble');
      if (req.select !== undefined && !(Number.isInteger(req.select) && req.select >= 1 && req.select <= members.length))
        throw new InputError(`select: expected a whole number of members from 1 to ${members.length}, got ${req.select}`);
      const stacking = req.method === 'stacking';
      const refit = new Map<string, ModelConfig>();
      if (stacking) {
        const refused = members.map((m) => ({ m, r: refitability(m) })).filter((x) => !x.r.refittable);
        if (refused.length)
          throw new InputError(
            `Stacking re-fits every member on folds of train, and ${refused.map((x) => `${x.m.runId} cannot (${x.r.reason})`).join('; ')}: use "blend" (its meta-learner is fitted on part of validation) or leave them out`,
          );
        for (const m of members) refit.set(m.runId, await deps.withAssets(m.parsed.model));
      }
      const config = parseExperimentConfig(
        {
          name: `ensemble-${req.method}`,
          seed: members[0].parsed.seed,
          data: commonData(members),
          model: {
            type: ENSEMBLE_KIND,
            method: req.method,
            members: members.map((m) => m.runId),
            ...(req.select !== undefined ? { select: { size: req.select } } : {}),
            ...(req.calibrate ? { calibrate: req.calibrate } : {}),
            folds: req.folds ?? STACKING_FOLDS,
          },
        },
        'ensemble',
      );
      const ready = async (est: Estimator, tree: ArtifactTree) => {
        if (!(est instanceof EnsembleEstimator)) throw new InputError('Not an ensemble');
        await est.resolveMembers(memberResolver(tree, deps.env));
        if (stacking) est.refit = (name) => createEstimator(refit.get(name)!);
      };
      const finish = (runId: string) => async (est: Estimator, val: { probs: Float32Array[] }) => {
        const e = est as EnsembleEstimator;
        const weights = e.memberWeights();
        const report: EnsembleReport = await ensembleReport({
          runId,
          kind: 'ensemble',
          method: req.method,
          members: members.map((m, j) => ({ ...memberInfo(m), weight: weights[j] })),
          fit: e.fittedOn!,
          combined: val.probs,
          selection: e.report?.selection,
          seed: config.seed,
        });
        return {
          result: {
            ensemble: {
              method: req.method,
              members: members.map((m, j) => ({ run: m.runId, weight: weights[j] })),
              ...(req.select !== undefined ? { select: req.select } : {}),
              ...(req.calibrate ? { calibrate: req.calibrate } : {}),
            },
          },
          files: { [ENSEMBLE_REPORT_FILE]: report },
        };
      };
      const needsTensors = stacking && [...refit.values()].some((c) => trainsWithTensors(c));
      return runComposite(members, config, req, onEvent, ready, finish, needsTensors);
    },

    async cascade(req: CascadeRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord> {
      const members = await readMembers(runs, req.datasetId, req.members, req.runId, 'A cascade');
      const secondsPer1000 = members.map((m) => {
        const tps = m.result.efficiency?.textsPerSecond;
        if (!(typeof tps === 'number' && tps > 0))
          throw new InputError(`Member run ${m.runId} has no measured prediction speed (efficiency.textsPerSecond), which a cascade's cost needs`);
        return 1000 / tps;
      });
      const config = parseExperimentConfig(
        {
          name: 'cascade',
          seed: members[0].parsed.seed,
          data: commonData(members),
          model: { type: CASCADE_KIND, members: members.map((m) => m.runId), secondsPer1000, ...(req.target ? { target: req.target } : {}) },
        },
        'cascade',
      );
      const ready = async (est: Estimator, tree: ArtifactTree) => {
        if (!(est instanceof CascadeEstimator)) throw new InputError('Not a cascade');
        await est.resolveMembers(memberResolver(tree, deps.env));
      };
      const finish = (runId: string) => async (est: Estimator, val: { probs: Float32Array[] }) => {
        const c = est as CascadeEstimator;
        const ids = members.map((m) => m.runId);
        const cascade = cascadeReport(ids, c.choice!);
        const report = await ensembleReport({ runId, kind: 'cascade', members: members.map(memberInfo), fit: c.fittedOn!, combined: val.probs, cascade, seed: config.seed });
        const chosen = c.choice!.chosen;
        return {
          result: {
            cascade: {
              members: ids,
              thresholds: chosen.thresholds,
              coverage: chosen.coverage,
              accuracy: chosen.accuracy,
              escalated: chosen.escalation,
              costRatio: c.choice!.costRatio,
              secondsPer1000,
            },
          },
          files: { [ENSEMBLE_REPORT_FILE]: report },
        };
      };
      return runComposite(members, config, req, onEvent, ready, finish, false);
    },

    async ensembleReport(runId: string): Promise<EnsembleReport> {
      const run = runs.folder(runId);
      const f = await readFinishedRun(run, `Run ${runId}`);
      if (f.meta.model !== ENSEMBLE_KIND && f.meta.model !== CASCADE_KIND) throw new InputError(`Run ${runId} is a ${f.meta.model} run, not an ensemble or a cascade`);
      const report = await run.readJson<EnsembleReport>(ENSEMBLE_REPORT_FILE);
      if (!report) throw new NotFoundError(`Run ${runId} has no ${ENSEMBLE_REPORT_FILE} (it is written when the ensemble is made)`);
      return report;
    },
  };
}
