/**
 * One experiment, start to end: subset the data, build the estimator from its config, fit it
 * while streaming events and metrics, score the validation split, save the model and write the
 * result record. The CLI and the worker both call this, so a run from the page and a run from
 * the terminal are the same computation.
 */
import type { Example, TrainingData } from '../data/types';
import { stratifiedSubset } from '../data/split';
import { summarize } from '../eval/metrics';
import { createEstimator, loadEstimator, modelFamily } from '../models/registry';
import { acquireLock } from '../storage/lock';
import { assertConfigSafe, OverfitMonitor, riskReport, riskReportHtml, validateConfig, withPhase, type Alert } from '../guard';
import type { CheckpointSink, Estimator, FitContext, FitSummary, ModelArtifact } from '../models/estimator';
import type { AssetStore } from '../storage/asset-store';
import { jsonFile, toBytes } from '../storage/port';
import { LATEST_SLOT, MODEL_SLOT, RunFolder } from '../runs/run-folder';
import type { TrainEvent } from '../train/events';
import { CancelledError, InputError, StorageError, toErrorData } from '../util/errors';
import { deriveSeed } from '../util/random';
import type { ExperimentConfig } from './config';
import type { BackendInfo, MetricRow, ResultRecord } from './result';
import { analyseValidation, measureEfficiency, PeakTracker } from './analysis';
import { leakageWarnings, type LeakageReport } from '../guard/leakage';
import { activeDeviceLimits } from '../guard/device-limits';
import { isLocalBase, learnShape } from '../models/pretrained/known-shapes';
import type { HfConfig } from '../models/pretrained/types';
import type { RunBudget } from '../budget/run-watch';

/** What a run streams while it trains: the loop's events, the monitors' alerts, its start and end. */
export type ExperimentEvent = TrainEvent | Alert | { type: 'run-started'; runId: string; backend: BackendInfo } | { type: 'done'; result: ResultRecord };

export interface ExperimentArgs {
  config: ExperimentConfig;
  data: TrainingData;
  run: RunFolder;
  runId: string;
  backend: BackendInfo;
  /** Where the data came from, for the record (a folder, a file, a Hub id). */
  source?: string;
  signal?: AbortSignal;
  onEvent?: (e: ExperimentEvent) => void;
  /** Continue this run from its last resumable checkpoint (or finish it, when its final model is saved) instead of starting it. */
  resume?: boolean;
  /** Replace a run already in the run's folder (the terminal's --force); refused otherwise. */
  overwrite?: boolean;
  /** What saved models reference (a pretrained base): needed to reopen a saved model when finishing a resumed run. */
  assets?: AssetStore;
  /** Opens a pretrained base as files (the lab pins Hub bases to a commit, with overall progress). */
  openBase?: FitContext['openBase'];
  /** JS heap in use, in bytes, where the platform can tell (Node, Chromium); sampled for the peak. */
  heapBytes?: () => number | undefined;
  /** The dataset's leakage report, found at import: copies across splits are warned about before training. */
  leakage?: LeakageReport;
  /** Readies the estimator before it is fitted (an ensemble or cascade loads its member runs). */
  prepare?: (estimator: Estimator) => Promise<void>;
  /** Record fields and JSON files from the fitted model, saved in the run's final commit (an ensemble's members and report). */
  finish?: (
    estimator: Estimator,
    validation: { examples: readonly Example[]; probs: Float32Array[] },
  ) => Promise<{ result?: Partial<ResultRecord>; files?: Record<string, unknown> }>;
  /** Distillation: the teacher's probabilities on the training examples (in experimentSplits' order), alpha and T. */
  softTargets?: FitContext['softTargets'];
  /** A curriculum ranked by a finished run's loss: that run's loss on each of these training examples (lab/curriculum-difficulty.ts). */
  exampleDifficulty?: (train: Example[]) => Promise<Float32Array>;
  /** Compute budgets (core/budget/run-watch.ts): adaptive checkpoints, a stop with a checkpoint when time runs out, time booked. */
  budget?: RunBudget;
}

export function metricRow(e: TrainEvent): MetricRow | undefined {
  if (e.type === 'step') return { kind: 'step', step: e.step, epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, lr: e.lr, examplesPerSec: e.examplesPerSec };
  if (e.type === 'epoch')
    return {
      kind: 'epoch',
      step: e.step,
      epoch: e.epoch,
      loss: e.train.loss,
      accuracy: e.train.accuracy,
      val_loss: e.validation?.loss,
      val_accuracy: e.validation?.accuracy,
      val_macroF1: e.validation?.macroF1,
      examplesPerSec: e.examplesPerSec,
      seconds: e.seconds,
    };
  return undefined;
}

/** The training and validation examples a config uses: its seeded, stratified subsets when it asks for them. */
export function experimentSplits(config: ExperimentConfig, data: TrainingData): { train: Example[]; validation: Example[] } {
  const k = data.meta.classes.length;
  const { maxTrain, maxValidation } = config.data;
  return {
    train: maxTrain ? stratifiedSubset(data.train, k, maxTrain, deriveSeed(config.seed, 'maxTrain')) : data.train,
    validation: maxValidation ? stratifiedSubset(data.validation, k, maxValidation, deriveSeed(config.seed, 'maxValidation')) : data.validation,
  };
}

/**
 * The config as config.json keeps it: a vocabulary loaded from `vocabFile` stays out (30k
 * entries; the file names it and the model stores it), so the record stays readable.
 */
function storedConfig(config: ExperimentConfig): ExperimentConfig {
  const m = config.model as { vocabFile?: string; vocab?: string[] };
  return m.vocabFile && m.vocab ? { ...config, model: { ...config.model, vocab: undefined } as ExperimentConfig['model'] } : config;
}

/**
 * The run's folder is locked for the whole run: a second training or resume into the same
 * folder is refused at once instead of interleaving its files with this one's.
 */
export async function runExperiment(args: ExperimentArgs): Promise<ResultRecord> {
  const lock = await acquireLock(args.run.store, args.run.prefix + 'run', { wait: false, owner: `the run ${args.runId}` });
  try {
    return await runLocked(args);
  } finally {
    await lock.release();
  }
}

async function runLocked(args: ExperimentArgs): Promise<ResultRecord> {
  const { config, data, run } = args;
  const t0 = performance.now();
  const classes = data.meta.classes;
  const seed = config.seed;
  const { train, validation } = experimentSplits(config, data);
  // Pre-training checks: a risky config is refused with safer alternatives unless overridden,
  // and one the backend's memory cannot hold is refused before any download or training.
  const device = activeDeviceLimits(args.backend);
  await learnLocalShape(config, args.openBase);
  const findings = validateConfig(config, { train: data.train.length, validation: data.validation.length, classes: classes.length }, { device });
  const safety = assertConfigSafe(findings, config.guard.override);
  let resumeFrom: ModelArtifact | undefined;
  let finished: { artifact: ModelArtifact; summary: FitSummary } | undefined;
  if (args.resume) {
    await run.sweepTemporaries();
    if (await run.hasCheckpoint(MODEL_SLOT)) {
      // Killed while finishing: the final model is saved, only the records after it are missing.
      const rows = await run.metrics();
      const last = rows.at(-1);
      finished = { artifact: await run.loadModel(), summary: { epochs: last?.epoch ?? 0, steps: last?.step ?? 0 } };
    } else {
      const { artifact, pointer } = await run.loadCheckpoint(LATEST_SLOT);
      resumeFrom = artifact;
      // Rows logged after the checkpoint are logged again by the resumed run.
      await run.truncateMetrics(pointer.step);
    }
    await run.setStatus('running');
    const meta = await run.meta();
    if (meta?.fingerprint && meta.fingerprint !== data.meta.fingerprint)
      throw new InputError(`Cannot resume: the data has changed since this run started (fingerprint ${data.meta.fingerprint}, run ${meta.fingerprint})`);
  } else {
    const existing = await run.meta();
    if (existing && !args.overwrite)
      throw new StorageError(
        `${args.runId} already holds a run (${existing.configName}, status "${existing.status}", started ${existing.createdAt}): choose another folder, or overwrite it on purpose (agnews train --force).`,
      );
    // Only a run's own folder is emptied: other files in a folder that holds no run are left alone.
    if (existing) await run.clear();
    await run.begin(
      {
        runId: args.runId,
        configName: config.name,
        model: config.model.type,
        datasetId: data.meta.id,
        fingerprint: data.meta.fingerprint,
        source: args.source ?? data.meta.source,
        classes,
      },
      storedConfig(config),
    );
  }
  args.onEvent?.({ type: 'run-started', runId: args.runId, backend: args.backend });
  for (const f of findings)
    if (f.severity !== 'info')
      args.onEvent?.({ type: 'log', level: 'warn', message: `${f.rule}: ${f.message}${safety.overridden && f.severity === 'block' ? ` (overridden: ${safety.reason})` : ''}` });
  const leaks = args.leakage ? leakageWarnings(args.leakage) : [];
  for (const message of leaks) args.onEvent?.({ type: 'log', level: 'warn', message });
  await run.store.commit([jsonFile(run.prefix + 'guard.json', { safety, leakage: args.leakage?.pairs })]);
  const monitor = new OverfitMonitor(config.guard.monitors);
  const alerts: Alert[] = [];
  const control = { halt: undefined as string | undefined, lrScale: 1 };
  const checkpoints: CheckpointSink = {
    everySteps: 'train' in config.model ? config.model.train.checkpointEvery : 0,
    save: async (slot, artifact, position) => void (await run.saveCheckpoint(slot, artifact, position)),
  };

  let pending: MetricRow[] = [];
  let lastFlush = performance.now();
  let epochRows = 0;
  const flush = async () => {
    const rows = pending;
    pending = [];
    lastFlush = performance.now();
    await run.appendMetrics(rows);
  };
  let writes = Promise.resolve();
  const heap = new PeakTracker(args.heapBytes);
  const tensorBytes = new PeakTracker(undefined);
  const onEvent = (e: TrainEvent, watch = true) => {
    args.onEvent?.(e);
    heap.sample();
    if (e.type === 'step') tensorBytes.see(e.bytes);
    for (const a of watch ? monitor.observe(e) : []) {
      alerts.push(a);
      args.onEvent?.(a);
      if (a.action === 'halt') control.halt ??= `halted by the ${a.rule} monitor: ${a.message}`;
      if (a.action === 'reduce-lr') control.lrScale *= 0.5;
    }
    const row = metricRow(e);
    if (!row) return;
    pending.push(row);
    if (row.kind === 'epoch') epochRows++;
    // Metric writes are chained so they land in order without blocking the training loop.
    if (row.kind === 'epoch' || performance.now() - lastFlush > 1000) writes = writes.then(flush);
  };

  let estimator: Estimator | undefined;
  try {
    estimator = finished ? loadEstimator(finished.artifact, { assets: args.assets }) : createEstimator(config.model);
    const tFit = performance.now();
    const fitted = estimator;
    await args.prepare?.(fitted);
    const watched = args.budget?.start(checkpoints, args.signal);
    const summary = finished
      ? finished.summary
      : await withPhase('training', async () =>
          fitted.fit(train, {
            classes,
            validation,
            seed,
            signal: watched?.signal ?? args.signal,
            onEvent: (e) => onEvent(e),
            checkpoints: watched?.checkpoints ?? checkpoints,
            resume: resumeFrom,
            control,
            assets: args.assets,
            openBase: args.openBase,
            softTargets: args.softTargets,
            exampleDifficulty: await args.exampleDifficulty?.(train),
          }),
        );
    const trainSeconds = (performance.now() - tFit) / 1000;
    onEvent({ type: 'phase', phase: 'Scoring the validation split', done: 0, total: 1 });
    const texts = validation.map((e) => e.text);
    const probs = await withPhase('validation', () => fitted.predictProba(texts));
    const uncalibrated = (await withPhase('validation', () => fitted.uncalibratedProba?.(texts))) ?? null;
    heap.sample(true);
    const analysis = await analyseValidation(validation, probs, classes, seed, uncalibrated);
    onEvent({ type: 'phase', phase: 'Measuring prediction speed', done: 0, total: 1 });
    const speed = await withPhase('validation', () => measureEfficiency(fitted, texts));
    heap.sample(true);
    const scores = summarize(
      validation.map((e) => e.label),
      probs,
      classes.length,
    );
    // Models without epochs (the classical tier) still get one row with their validation
    // scores; it is no training epoch, so the overfitting monitors do not see it.
    if (epochRows === 0 && !finished)
      onEvent(
        {
          type: 'epoch',
          epoch: summary.epochs,
          step: summary.steps,
          train: { loss: NaN, accuracy: NaN },
          validation: { loss: scores.loss, accuracy: scores.accuracy, macroF1: scores.macroF1 },
          examplesPerSec: train.length / trainSeconds,
          seconds: trainSeconds,
        },
        false,
      );
    writes = writes.then(flush);
    await writes;
    onEvent({ type: 'phase', phase: 'Saving the model', done: 0, total: 1 });
    // The model, the reports, result.json and run.json ("done") are one commit: a kill at any
    // moment leaves either the unfinished run (resumable) or the finished one, never a mix.
    const model = finished ? undefined : await run.modelWrites(await estimator.save());
    const modelBytes = model ? model.writes.slice(0, -1).reduce((n, w) => n + w.bytes.length, 0) : await run.checkpointBytes(MODEL_SLOT);
    const risk = riskReport({ findings, alerts, history: monitor.history(), config, overridden: safety });
    const extra = (await args.finish?.(fitted, { examples: validation, probs })) ?? {};
    const reports = [
      ...Object.entries(extra.files ?? {}).map(([name, value]) => jsonFile(run.prefix + name, value)),
      jsonFile(run.prefix + 'risk.json', { ...risk, alerts }),
      { path: run.prefix + 'risk.html', bytes: toBytes(riskReportHtml(risk)) },
      jsonFile(run.prefix + 'eval-validation.json', analysis.report),
      jsonFile(run.prefix + 'predictions-validation.json', analysis.predictions),
    ];
    const result: ResultRecord = {
      run: args.runId,
      model: config.model.type,
      family: modelFamily(config.model.type),
      backend: args.backend.backend,
      seed,
      config: config.name,
      data: { train: train.length, validation: validation.length, fingerprint: data.meta.fingerprint, source: args.source ?? data.meta.source },
      validation: { accuracy: scores.accuracy, macroF1: scores.macroF1, loss: scores.loss },
      timings: { trainSeconds, totalSeconds: (performance.now() - t0) / 1000 },
      modelBytes,
      parameters: estimator.parameterCount(),
      epochs: summary.epochs,
      stoppedEarly: summary.stoppedEarly,
      risk: { score: risk.score, level: risk.level, judged: risk.judged, alerts: alerts.length, overridden: safety.overridden },
      efficiency: { ...speed, peakHeapBytes: heap.peak, peakTensorBytes: tensorBytes.peak },
      device: args.backend,
      createdAt: new Date().toISOString(),
      ...extra.result,
    };
    await run.store.commit([...(model?.writes ?? []), ...reports, ...(await run.resultWrites(result))]);
    await model?.dropPrevious();
    await run.removeCheckpoint(LATEST_SLOT);
    args.onEvent?.({ type: 'done', result });
    return result;
  } catch (err) {
    // Keep what was logged up to the failure: a resumed run trims it back to its checkpoint.
    writes = writes.then(flush);
    await writes.catch(() => undefined);
    // Stopped by its compute budget: kept as interrupted (resumable from its checkpoint), with the budget's message.
    const budgetStop = args.budget?.stopped();
    await run.setStatus(budgetStop ? 'interrupted' : err instanceof CancelledError ? 'cancelled' : 'failed', toErrorData(budgetStop ?? err)).catch(() => undefined);
    throw budgetStop ?? err;
  } finally {
    estimator?.dispose();
    await args.budget?.end();
  }
}

/** Loads a finished run's model and predicts class probabilities. */
export async function predictWithRun(run: RunFolder, texts: string[]): Promise<Float32Array[]> {
  const model = loadEstimator(await run.loadModel());
  try {
    return await model.predictProba(texts);
  } finally {
    model.dispose();
  }
}

/** A local base's config.json (a few hundred bytes) is read before the checks so the guard sizes it as it is; Hub bases are not fetched before the checks. */
async function learnLocalShape(config: ExperimentConfig, openBase: ExperimentArgs['openBase']): Promise<void> {
  const model = config.model as { type: string; base?: string };
  if (model.type !== 'pretrained' || !model.base || !isLocalBase(model.base) || !openBase) return;
  const bytes = await (await openBase(model.base)).read('config.json');
  if (bytes) learnShape(model.base, JSON.parse(new TextDecoder().decode(bytes)) as HfConfig);
}
