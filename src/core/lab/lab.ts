/**
 * The lab: the one implementation of `LabApi`, written against ports (storage, where runs
 * live, backend selection, fetch) so the worker, the terminal runner and the tests share it.
 */
import { deleteDataset, getDatasetMeta, importDataset, listDatasets, loadTrainingData, readLabelledFile, saveDataset, type ImportedDataset } from '../data';
import type { ImportRequest } from '../data/request';
import { resultsCsv, resultsJson, resultsTable } from '../experiment/results-table';
import { parseExperimentConfig } from '../experiment/config';
import { runExperiment } from '../experiment/pipeline';
import type { BackendChoice, BackendInfo } from '../experiment/result';
import { trainsWithTensors } from '../models/registry';
import { withBackendFallback } from './fallback';
import { LATEST_SLOT, MODEL_SLOT, type RunMeta } from '../runs/run-folder';
import { readFinishedRun } from '../runs/finished-run';
import { storeRuns, type RunHome } from '../runs/run-home';
import { newRunId } from '../runs/run-id';
import type { BlobStore } from '../storage/port';
import { GuardError, LabError, NotFoundError } from '../util/errors';
import type { FileEvaluation, LabApi, LabEvent, PresetInfo, RunDetail, RunSummary } from './api';
import { guardImported, readLeakage } from './dataset-guard';
import { withVocab } from './vocab';
import { createAssetStore, hubUrlSetting } from '../storage/asset-store';
import { explainOf, gridSearchOf, robustnessOf, runExtras, topFeaturesOf } from './insights';
import { modelOpener } from './run-model';
import { ensembleLab } from './ensemble-lab';
import { guardStatus, setBudget } from '../guard';
import { evaluateRunOnTest } from '../experiment/test-evaluation';
import { compareRuns } from '../experiment/compare';
import { scoreExamples } from '../experiment/analysis';
import { importModel } from './import-model';
import { hubBaseSource, resumableFetch } from '../models/pretrained/hub-files';
import { baseSourceFromAssets } from '../models/pretrained/base-source';
import { distillRun, resumedDistillation, type DistillDeps, type ExperimentCall } from './distill';
import { curriculumDifficulty } from './curriculum-difficulty';
import { pretrainedCatalogOf } from './pretrained-lab';
import { exportModelOf } from './export-model';
import { openServedModel, type ServedModel } from './serve-model';
import { predictRouteOf } from './predict-route';
import { openBundleOf } from './open-bundle';
import { searchOf } from './search-lab';
import { quotaLab } from './quota-lab';
import { estimateLab } from './estimate-lab';
import { pretrainRun } from './pretrain';
import { quotaGuarded } from '../storage/quota-guard';
import { deviceProfileOf, type DeviceReport } from '../device/profile';

/** What a plain-TypeScript run (classical, fastText's own SGD) reports as its backend: no tensor backend, no adapter. */
export const PLAIN_TS: BackendInfo = { backend: 'cpu', skipped: [], plainTypeScript: true };

export interface LabPorts {
  /** Datasets, their test-set guards and the Hub cache; in the page also the runs. */
  store: BlobStore;
  /** Where runs live: `runs/<id>/` in `store` unless given (the terminal: one folder per run). */
  runs?: RunHome;
  selectBackend: (choice: BackendChoice) => Promise<BackendInfo>;
  /** The backend asked for when a call names none (the terminal's --backend). Default auto. */
  backend?: BackendChoice;
  fetch?: typeof fetch;
  /** Where `hf:` references and Hub datasets point (a mirror, a test server) until setHubUrl changes it. Default the public Hub. */
  hubUrl?: string;
  /** `file:` references (and bare paths), where the platform can read files. */
  readFile?: (path: string) => Promise<Uint8Array>;
  presets: PresetInfo[];
  /** JS heap in use (bytes), where the platform reports it: sampled for each run's peak. */
  heapBytes?: () => number | undefined;
  /** Who reads the test split, for the guard's access log. Default "page". */
  caller?: string;
  /** Turns the source a run recorded (a path, a Hub id) back into an import, where the platform can read it. */
  sourceRequest?: (source: string) => ImportRequest;
  /** Milliseconds since the epoch, for compute budgets (tests pass their own clock). Default Date.now. */
  clock?: () => number;
  /** What the platform can tell about the machine (adapter, cores, memory, storage, disks), for deviceProfile. */
  deviceInfo?: () => Promise<DeviceReport>;
}

export interface Lab extends LabApi {
  /** Every file of a run, for export (the headless runner writes them to a run folder). */
  exportRun(runId: string): Promise<{ path: string; bytes: Uint8Array }[]>;
  /** The config with the files it references read in (a WordPiece vocabulary), for a lab that cannot read them itself. */
  withAssets<C extends { model: object }>(config: C): Promise<C>;
  /** A finished run's model held open for many predictions (the prediction server); close it when done. */
  serve(runId: string): Promise<ServedModel>;
}

export function createLab(ports: LabPorts): Lab {
  // Large writes are checked against the quota before they start (refused with what to delete); the store is asked to persist first.
  const store = quotaGuarded(ports.store, { items: async () => (await quota.storageReport()).items });
  const runs = ports.runs ?? storeRuns(store);
  const caller = ports.caller ?? 'page';
  let backend: BackendInfo | undefined;
  let backendChoice: BackendChoice | undefined;
  let active: { controller: AbortController; runId?: string } | undefined;

  const ensureBackend = async (choice: BackendChoice = ports.backend ?? 'auto') => {
    if (!backend || (choice !== backendChoice && choice !== backend.backend)) {
      backend = await ports.selectBackend(choice);
      backendChoice = choice;
    }
    return backend;
  };
  // Referenced files (vocabularies now; base weights and members' files later) resolve here, cached in the store.
  // Downloads that break off continue with an HTTP Range request from the bytes already kept.
  // The Hub's base URL is read at each download, so the page's setting applies to the next one.
  let hubUrl = ports.hubUrl;
  const hubUrlNow = () => hubUrl;
  const assets = createAssetStore({ store, fetch: ports.fetch && resumableFetch(ports.fetch, store), hubUrl: hubUrlNow, readFile: ports.readFile });
  const hubDeps = { fetch: ports.fetch, hubUrl: hubUrlNow, store };
  /** A pretrained base as files: Hub ids pinned to the resolved commit with overall byte progress, folders file by file. */
  const openBase = (onEvent?: (e: LabEvent) => void) => async (base: string) => {
    if (!base.startsWith('hf:')) return baseSourceFromAssets(assets, base);
    return hubBaseSource(assets, hubDeps, base, (p) => onEvent?.({ type: 'phase', phase: `Downloading ${base}`, done: p.done, total: p.total }));
  };
  const open = modelOpener(runs, () => ensureBackend(backendChoice ?? ports.backend ?? 'auto'), { assets });

  const summary = (m: RunMeta, result?: RunSummary['result'], resumable?: boolean): RunSummary => ({
    resumable,
    runId: m.runId,
    configName: m.configName,
    model: m.model,
    datasetId: m.datasetId,
    // A run left 'running' by a closed tab or a killed worker is not running any more.
    status: m.status === 'running' && active?.runId !== m.runId ? 'interrupted' : m.status,
    createdAt: m.createdAt,
    result,
  });

  /** One job at a time: the worker (or process) owns one tensor backend and one GPU. */
  const exclusive = async <T>(runId: string | undefined, job: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (active) throw new LabError('A job is already running (training, search or evaluation): cancel it or wait for it to finish.');
    const controller = new AbortController();
    active = { controller, runId };
    try {
      return await job(controller.signal);
    } finally {
      active = undefined;
    }
  };

  type Progress = (p: { message: string; done: number; total: number }) => void;
  const hub = (progress: Progress) => (ports.fetch ? { fetch: ports.fetch, cache: store, onProgress: progress, baseUrl: hubUrl } : undefined);
  /** Stored (once: the same data has the same id) and sealed by the guard before anything trains on it. */
  const keep = async (ds: ImportedDataset, progress: Progress) => {
    if (!(await getDatasetMeta(store, ds.meta.id))) {
      progress({ message: 'Saving the dataset', done: 0, total: 1 });
      await saveDataset(store, ds);
    }
    await guardImported(store, ds, (message) => progress({ message, done: 0, total: 1 }));
  };

  /** A run's dataset: in the store, or imported again from the source it recorded, if unchanged. */
  const datasetOf = async (meta: Pick<RunMeta, 'runId' | 'datasetId' | 'source' | 'fingerprint'>, onEvent?: (e: LabEvent) => void) => {
    if (await getDatasetMeta(store, meta.datasetId)) return;
    if (!ports.sourceRequest || !meta.source) throw new NotFoundError(`Run ${meta.runId}: its dataset ${meta.datasetId} is not in this lab's store`);
    const progress: Progress = (p) => onEvent?.({ type: 'import-progress', ...p });
    const ds = await importDataset(ports.sourceRequest(meta.source), { onProgress: progress, hub: hub(progress) });
    if (meta.fingerprint && ds.meta.fingerprint !== meta.fingerprint)
      throw new GuardError(`The data at ${meta.source} has changed since this run was trained (fingerprint ${ds.meta.fingerprint} ≠ ${meta.fingerprint}): refusing to use it.`);
    await keep(ds, progress);
  };

  const catalog = pretrainedCatalogOf({
    store,
    // While a job runs, its backend stays: the estimates are then for it, and the calibration waits.
    ensureBackend: (choice) => (active && backend ? Promise.resolve(backend) : ensureBackend(choice ?? backendChoice ?? ports.backend ?? 'auto')),
    tryExclusive: (job) => (active ? Promise.resolve(undefined) : exclusive(undefined, job)),
  });

  const estimates = estimateLab({
    store,
    // While a job runs, its backend stays; a measurement would have to wait for it (tryExclusive says so).
    ensureBackend: (choice) => (active && backend ? Promise.resolve(backend) : ensureBackend(choice ?? backendChoice ?? ports.backend ?? 'auto')),
    tryExclusive: (job) => (active ? Promise.resolve(undefined) : exclusive(undefined, job)),
    presets: () => ports.presets,
    readsFiles: ports.readFile !== undefined,
  });

  const ensembles = ensembleLab({
    runs,
    store,
    env: { assets },
    exclusive,
    startBackend: () => ensureBackend(backendChoice ?? ports.backend ?? 'auto'),
    plain: PLAIN_TS,
    datasetOf,
    withAssets: (model) => withVocab(model, assets),
    heapBytes: ports.heapBytes,
  });

  /** One experiment as train runs it, for distillation's student and baseline. */
  const experiment = async (args: ExperimentCall, choice?: BackendChoice) => {
    const full = {
      ...args,
      heapBytes: ports.heapBytes,
      leakage: await readLeakage(store, args.data.meta.id),
      assets,
      openBase: openBase(args.onEvent),
      exampleDifficulty: curriculumDifficulty(open, args.config, args.data.meta.classes, args.onEvent),
      // Distillation's student and baseline are runs like any other: their compute budgets apply.
      budget: args.budget ?? (await quota.runBudget(args.runId, args.onEvent ?? (() => undefined), { resuming: args.resume })),
    };
    if (!trainsWithTensors(args.config.model)) return runExperiment({ ...full, backend: PLAIN_TS });
    // A restart on the next backend replaces its own failed attempt in the run folder (never a resumed run's checkpoint).
    return withBackendFallback(
      ensureBackend,
      choice ?? ports.backend ?? 'auto',
      (backend, retry) => runExperiment({ ...full, backend, overwrite: full.overwrite || (retry && !full.resume) }),
      args.onEvent,
    );
  };
  const distillDeps: DistillDeps = { store, runs, open, assets, exclusive, experiment };
  const quota = quotaLab({
    store,
    runs,
    now: ports.clock ?? Date.now,
    activeRunId: () => active?.runId,
    removeRun: (runId) => runs.remove(runId),
    removeDataset: (id) => deleteDataset(store, id),
  });

  return {
    ...ensembles,
    backendInfo: (choice) => ensureBackend(choice),
    pretrainedCatalog: (datasetId, config, backend) => catalog(datasetId, config, backend),
    async setHubUrl(url) {
      hubUrl = hubUrlSetting(url);
      return hubUrl;
    },

    async importDataset(req, onEvent) {
      const progress: Progress = (p) => onEvent?.({ type: 'import-progress', ...p });
      const ds = await importDataset(req, { onProgress: progress, hub: hub(progress) });
      await keep(ds, progress);
      return ds.meta;
    },

    listDatasets: () => listDatasets(store),
    deleteDataset: (id) => deleteDataset(store, id),
    presets: async () => ports.presets,

    async train(req, onEvent) {
      const config = parseExperimentConfig(req.config, 'config');
      if (config.distill) return distillRun(distillDeps, { ...req, teacher: config.distill.teacher }, onEvent);
      // An ensemble or cascade is fitted from finished member runs, not trained from data.
      if (config.model.type === 'ensemble' || config.model.type === 'cascade')
        throw new LabError(
          `A ${config.model.type} config is built from finished runs: use ${config.model.type === 'ensemble' ? '`agnews ensemble` (lab.ensemble)' : '`agnews cascade` (lab.cascade)'} or the Ensemble page, not train.`,
        );
      config.model = await withVocab(config.model, assets);
      let runId = req.runId ?? newRunId(config.name);
      // A generated id never lands on an existing run (same config, same second, same suffix).
      while (!req.runId && (await runs.folder(runId).meta())) runId = newRunId(config.name);
      const budget = await quota.runBudget(runId, onEvent, {
        estimateSeconds: async () => (await estimates.estimate({ datasetId: req.datasetId, config: req.config, backend: req.backend })).seconds,
      });
      return exclusive(runId, async (signal) => {
        const data = await loadTrainingData(store, req.datasetId);
        const run = runs.folder(runId);
        const leakage = await readLeakage(store, req.datasetId);
        const common = {
          config,
          data,
          run,
          runId,
          signal,
          onEvent,
          heapBytes: ports.heapBytes,
          leakage,
          source: req.source,
          overwrite: req.overwrite,
          assets,
          openBase: openBase(onEvent),
          budget,
          exampleDifficulty: curriculumDifficulty(open, config, data.meta.classes, onEvent),
        };
        // Plain-TypeScript trainers (classical, fastText's own SGD) never start a tensor backend.
        if (!trainsWithTensors(config.model)) return runExperiment({ ...common, backend: PLAIN_TS });
        // A restart on the next backend replaces its own failed attempt in the run folder.
        return withBackendFallback(
          ensureBackend,
          req.backend ?? ports.backend ?? 'auto',
          (backend, retry) => runExperiment({ ...common, backend, overwrite: common.overwrite || retry }),
          onEvent,
        );
      });
    },

    async importModel(req, onEvent) {
      let runId = req.runId ?? newRunId('import');
      while (!req.runId && (await runs.folder(runId).meta())) runId = newRunId('import');
      return exclusive(runId, async () => {
        const data = await loadTrainingData(store, req.datasetId);
        const backend = await ensureBackend(req.backend ?? ports.backend ?? 'auto');
        return importModel({ ...req, data, run: runs.folder(runId), runId, backend, assets, hub: hubDeps, onEvent, heapBytes: ports.heapBytes });
      });
    },

    distill: (req, onEvent) => distillRun(distillDeps, req, onEvent),

    async resume(runId, onEvent, backend) {
      const run = runs.folder(runId);
      const meta = await run.meta();
      if (!meta) throw new NotFoundError(`No run ${runId} (run.json missing)`);
      if (meta.status === 'done') throw new LabError(`Run ${runId} has already finished.`);
      if (!(await run.hasCheckpoint(LATEST_SLOT)) && !(await run.hasCheckpoint(MODEL_SLOT)))
        throw new LabError(`Run ${runId} stopped before its first checkpoint (one is written every checkpointEvery steps and at each epoch end): start it again instead.`);
      const config = parseExperimentConfig(await run.config(), `${runId}/config.json`);
      const budget = await quota.runBudget(runId, onEvent, { resuming: true });
      return exclusive(runId, async (signal) => {
        await datasetOf(meta, onEvent);
        const data = await loadTrainingData(store, meta.datasetId);
        const distilled = config.distill ? await resumedDistillation(run, config, data) : {};
        const job = (info: BackendInfo) =>
          runExperiment({
            config,
            data,
            run,
            runId,
            backend: info,
            signal,
            onEvent,
            resume: true,
            heapBytes: ports.heapBytes,
            source: meta.source,
            assets,
            openBase: openBase(onEvent),
            ...distilled,
            budget,
            exampleDifficulty: curriculumDifficulty(open, config, data.meta.classes, onEvent),
          });
        if (!trainsWithTensors(config.model)) return job(PLAIN_TS);
        return withBackendFallback(ensureBackend, backend ?? ports.backend ?? 'auto', job, onEvent);
      });
    },

    async cancel() {
      active?.controller.abort();
    },

    async listRuns() {
      const metas = await runs.list();
      return Promise.all(
        metas.map(async (m) => {
          const run = runs.folder(m.runId);
          const resumable = m.status !== 'done' && active?.runId !== m.runId && ((await run.hasCheckpoint(LATEST_SLOT)) || (await run.hasCheckpoint(MODEL_SLOT)));
          return summary(m, m.status === 'done' ? await run.result() : undefined, resumable);
        }),
      );
    },

    async getRun(runId) {
      const run = runs.folder(runId);
      const m = await run.meta();
      if (!m) throw new NotFoundError(`No run ${runId}`);
      const detail: RunDetail = {
        ...summary(m, await run.result()),
        config: await run.config(),
        metrics: await run.metrics(),
        classes: m.classes,
        error: m.error,
        ...(await runExtras(run)),
      };
      return detail;
    },

    deleteRun: (runId) => runs.remove(runId),

    predict: (runId, texts) =>
      open(runId, async ({ meta, model }) => {
        const probs = await model.predictProba(texts);
        return { classes: meta.classes, probs: probs.map((p) => Array.from(p)) };
      }),

    storageEstimate: async () => store.estimate?.(),
    budgets: () => quota.budgets(),
    setBudgets: (b) => quota.setBudgets(b),
    storageReport: (opts) => quota.storageReport(opts),
    deleteStorageItem: (kind, id) => quota.deleteStorageItem(kind, id),
    requestPersist: () => quota.requestPersist(),

    guardStatus: (datasetId) => guardStatus(store, datasetId),
    setTestBudget: (datasetId, budget, reason) => setBudget(store, datasetId, budget, { reason, caller }),
    leakage: (datasetId) => readLeakage(store, datasetId),
    // Scoring uses the tensor backend too, so it waits its turn like a training run.
    evaluateTest: (runId, purpose) =>
      exclusive(undefined, () =>
        open(runId, async (opened) => {
          await datasetOf(opened.meta);
          return evaluateRunOnTest(store, opened, purpose, caller);
        }),
      ),
    evaluateFile: (runId, file) =>
      exclusive(undefined, () =>
        open(runId, async ({ run, meta, model }) => {
          const examples = await readLabelledFile(file, meta.classes);
          const at = new Date().toISOString();
          const record: FileEvaluation = { ...(await scoreExamples(model, 'file', examples, meta.classes)), file: file.name, runId, at };
          await run.writeJson(`eval-file-${at.replace(/[:.]/g, '-')}.json`, record);
          return record;
        }),
      ),
    compare: (runIds) => compareRuns(runs, runIds),
    async resultsFiles(runIds) {
      const rows = await resultsTable(await Promise.all(runIds.map((id) => readFinishedRun(runs.folder(id), id))));
      return { csv: resultsCsv(rows), json: resultsJson(rows), rows };
    },
    robustness: (runId, opts) =>
      exclusive(undefined, () =>
        robustnessOf(
          open,
          async ({ meta }) => {
            await datasetOf(meta);
            return (await loadTrainingData(store, meta.datasetId)).validation;
          },
          runId,
          opts,
        ),
      ),
    topFeatures: (runId, k) => topFeaturesOf(open, runId, k),
    explain: (runId, text, target) => explainOf(open, runId, text, target),
    gridSearch: (req, onEvent) => exclusive(undefined, (signal) => gridSearchOf(store, req, signal, onEvent)),
    search: (req, onEvent) => searchOf({ store, runs, exclusive, experiment, withAssets: (model) => withVocab(model, assets) }, req, onEvent),

    async tensorboardFile(runId) {
      const run = runs.folder(runId);
      const path = await run.eventFile();
      const bytes = path ? await run.store.read(path) : undefined;
      return path && bytes ? { name: path.slice(path.lastIndexOf('/') + 1), bytes } : undefined;
    },

    predictRoute: (runId, texts) => predictRouteOf(runs, () => ensureBackend(backendChoice ?? ports.backend ?? 'auto'), { assets }, runId, texts),
    openBundle: (files, where) => openBundleOf(runs, files, where),
    serve: (runId) => openServedModel(runs, () => ensureBackend(backendChoice ?? ports.backend ?? 'auto'), { assets }, runId),

    // While a job runs, the profile names its backend (none yet: a plain-TypeScript job, or one
    // still starting) rather than starting another under it.
    deviceProfile: () =>
      deviceProfileOf({
        report: ports.deviceInfo,
        backend: () => (active ? Promise.resolve(backend ?? PLAIN_TS) : ensureBackend(backendChoice ?? ports.backend ?? 'auto')),
        calibrations: () => estimates.calibrations(),
      }),
    estimate: (req) => estimates.estimate(req),
    calibrate: (backend) => estimates.calibrate(backend),
    recommend: (req) => estimates.recommend(req),
    pretrain: (req, onEvent) =>
      exclusive(req.out, (signal) =>
        pretrainRun(
          { store, runs, openBase: (base, events) => openBase(events)(base), ensureBackend: (choice) => ensureBackend(choice ?? ports.backend ?? 'auto') },
          req,
          signal,
          onEvent,
        ),
      ),
    exportModel: (runId, format, opts) =>
      exclusive(undefined, () => exportModelOf({ runs, assets, startBackend: () => ensureBackend(backendChoice ?? ports.backend ?? 'auto') }, runId, format, opts)),
    withAssets: async (config) => ({ ...config, model: await withVocab(config.model, assets) }),

    async exportRun(runId) {
      const run = runs.folder(runId);
      const paths = await run.store.list(run.prefix);
      return Promise.all(paths.map(async (p) => ({ path: p.slice(run.prefix.length), bytes: (await run.store.read(p))! })));
    },
  };
}
