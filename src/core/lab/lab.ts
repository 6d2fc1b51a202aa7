/**
 * The lab: the one implementation of `LabApi`, written against ports (storage, backend
 * selection, fetch) so the worker, the Node tests and the headless runner share it.
 */
import { deleteDataset, importDataset, listDatasets, loadTrainingData, saveDataset } from '../data';
import { parseExperimentConfig } from '../experiment/config';
import { predictWithRun, runExperiment } from '../experiment/pipeline';
import type { BackendChoice, BackendInfo } from '../experiment/result';
import { modelFamily } from '../models/registry';
import { withBackendFallback } from './fallback';
import { deleteRun, LATEST_SLOT, listRunMetas, RunFolder } from '../runs/run-folder';
import type { BlobStore } from '../storage/port';
import { LabError, NotFoundError } from '../util/errors';
import type { LabApi, PresetInfo, RunDetail, RunSummary } from './api';
import { guardImported, readLeakage } from './dataset-guard';
import { withVocabUrl } from './vocab-url';
import { explainOf, gridSearchOf, robustnessOf, runExtras, topFeaturesOf } from './insights';
import { guardStatus, setBudget } from '../guard';
import { evaluateRunOnTest } from '../experiment/test-evaluation';
import { compareRuns, resultsFiles } from '../experiment/compare';

/** What a classical run reports as its backend: plain TypeScript on the CPU. */
export const PLAIN_TS: BackendInfo = { backend: 'cpu', skipped: [] };

export interface LabPorts {
  store: BlobStore;
  selectBackend: (choice: BackendChoice) => Promise<BackendInfo>;
  fetch?: typeof fetch;
  presets: PresetInfo[];
  /** JS heap in use (bytes), where the platform reports it: sampled for each run's peak. */
  heapBytes?: () => number | undefined;
}

export interface Lab extends LabApi {
  /** Every file of a run, for export (the headless runner writes them to a run folder). */
  exportRun(runId: string): Promise<{ path: string; bytes: Uint8Array }[]>;
}

export function createLab(ports: LabPorts): Lab {
  const { store } = ports;
  let backend: BackendInfo | undefined;
  let backendChoice: BackendChoice | undefined;
  let active: { controller: AbortController; runId?: string } | undefined;

  const ensureBackend = async (choice: BackendChoice = 'auto') => {
    if (!backend || (choice !== backendChoice && choice !== backend.backend)) {
      backend = await ports.selectBackend(choice);
      backendChoice = choice;
    }
    return backend;
  };

  const summary = (m: Awaited<ReturnType<typeof listRunMetas>>[number], result?: RunSummary['result'], resumable?: boolean): RunSummary => ({
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

  return {
    backendInfo: (choice) => ensureBackend(choice),

    async importDataset(req, onEvent) {
      const progress = (p: { message: string; done: number; total: number }) => onEvent?.({ type: 'import-progress', ...p });
      const ds = await importDataset(req, { onProgress: progress, hub: ports.fetch ? { fetch: ports.fetch, cache: store, onProgress: progress } : undefined });
      progress({ message: 'Saving the dataset', done: 0, total: 1 });
      await saveDataset(store, ds);
      await guardImported(store, ds, (message) => progress({ message, done: 0, total: 1 }));
      return ds.meta;
    },

    listDatasets: () => listDatasets(store),
    deleteDataset: (id) => deleteDataset(store, id),
    presets: async () => ports.presets,

    async train(req, onEvent) {
      const config = parseExperimentConfig(req.config, 'config');
      config.model = await withVocabUrl(config.model, ports.fetch);
      const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${config.name}-${Math.random().toString(36).slice(2, 6)}`;
      return exclusive(runId, async (signal) => {
        const data = await loadTrainingData(store, req.datasetId);
        const run = RunFolder.inStore(store, runId);
        const leakage = await readLeakage(store, req.datasetId);
        const common = { config, data, run, runId, signal, onEvent, heapBytes: ports.heapBytes, leakage };
        // Sparse classical models run in plain TypeScript: no tensor backend to start.
        if (modelFamily(config.model.type) === 'classical') return runExperiment({ ...common, backend: PLAIN_TS });
        return withBackendFallback(ensureBackend, req.backend ?? 'auto', (backend) => runExperiment({ ...common, backend }), onEvent);
      });
    },

    async resume(runId, onEvent, backend) {
      const run = RunFolder.inStore(store, runId);
      const meta = await run.meta();
      if (!meta) throw new NotFoundError(`No run ${runId}`);
      if (meta.status === 'done') throw new LabError(`Run ${runId} has already finished.`);
      if (!(await run.hasCheckpoint(LATEST_SLOT))) throw new LabError(`Run ${runId} stopped before its first checkpoint: start it again instead.`);
      const config = parseExperimentConfig(await run.config(), `${runId}/config.json`);
      return exclusive(runId, async (signal) => {
        const data = await loadTrainingData(store, meta.datasetId);
        return withBackendFallback(ensureBackend, backend ?? 'auto', (info) => runExperiment({ config, data, run, runId, backend: info, signal, onEvent, resume: true, heapBytes: ports.heapBytes }), onEvent);
      });
    },

    async cancel() {
      active?.controller.abort();
    },

    async listRuns() {
      const metas = await listRunMetas(store);
      return Promise.all(
        metas.map(async (m) => {
          const run = RunFolder.inStore(store, m.runId);
          const resumable = m.status !== 'done' && active?.runId !== m.runId && (await run.hasCheckpoint(LATEST_SLOT));
          return summary(m, m.status === 'done' ? await run.result() : undefined, resumable);
        }),
      );
    },

    async getRun(runId) {
      const run = RunFolder.inStore(store, runId);
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

    deleteRun: (runId) => deleteRun(store, runId),

    async predict(runId, texts) {
      const run = RunFolder.inStore(store, runId);
      const m = await run.meta();
      if (!m) throw new NotFoundError(`No run ${runId}`);
      await ensureBackend(backendChoice ?? 'auto');
      const probs = await predictWithRun(run, texts);
      return { classes: m.classes, probs: probs.map((p) => Array.from(p)) };
    },

    storageEstimate: async () => store.estimate?.(),

    guardStatus: (datasetId) => guardStatus(store, datasetId),
    setTestBudget: (datasetId, budget, reason) => setBudget(store, datasetId, budget, { reason, caller: 'page' }),
    leakage: (datasetId) => readLeakage(store, datasetId),
    // Scoring uses the tensor backend too, so it waits its turn like a training run.
    evaluateTest: (runId, purpose) =>
      exclusive(undefined, async () => {
        await ensureBackend(backendChoice ?? 'auto');
        return evaluateRunOnTest(store, runId, purpose, 'page');
      }),
    compare: (runIds) => compareRuns(store, runIds),
    resultsFiles: (runIds) => resultsFiles(store, runIds),
    robustness: (runId, opts) =>
      exclusive(undefined, async () => {
        await ensureBackend(backendChoice ?? 'auto');
        return robustnessOf(store, runId, opts);
      }),
    topFeatures: (runId, k) => topFeaturesOf(store, runId, k),
    explain: async (runId, text, target) => {
      await ensureBackend(backendChoice ?? 'auto');
      return explainOf(store, runId, text, target);
    },
    gridSearch: (req, onEvent) => exclusive(undefined, (signal) => gridSearchOf(store, req, signal, onEvent)),

    async exportRun(runId) {
      const prefix = `runs/${runId}/`;
      const paths = await store.list(prefix);
      return Promise.all(paths.map(async (p) => ({ path: p.slice(prefix.length), bytes: (await store.read(p))! })));
    },
  };
}
