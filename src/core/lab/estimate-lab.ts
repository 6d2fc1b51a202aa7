/**
 * The lab's estimate, calibrate and recommend calls (issue 15): the measured rates behind them
 * come from the store when this device has them, and are measured (as a job of their own, so no
 * run is slowed or timed against) when it does not. The arithmetic lives in core/estimate.
 */
import { getDatasetMeta } from '../data';
import { parseExperimentConfig, type ExperimentConfig } from '../experiment/config';
import type { BackendChoice, BackendInfo } from '../experiment/result';
import { activeDeviceLimits } from '../guard/device-limits';
import { validateConfig } from '../guard/validate-config';
import { cachedCalibration, deviceOf, measureCalibration, PLAIN_DEVICE } from '../estimate/calibration';
import { estimateRun, needsFitRate, trainsOnPlain, type DataSizes } from '../estimate/estimate';
import { cachedFitRate, measureFitRate, type FitRate } from '../estimate/fit-rate';
import { withBackendFallback } from './fallback';
import { bytes, recommend, type JudgedPreset } from '../estimate/recommend';
import type { BlobStore } from '../storage/port';
import { ConfigError, LabError } from '../util/errors';
import type { PresetInfo } from './api';
import type { Calibration, RecommendRequest, RecommendResult, RunEstimate } from './quota-api';

/** AG News with the lab's 10% validation split: the sizes assumed when no dataset is named. */
const AG_NEWS_SIZES: DataSizes = { train: 108_000, validation: 12_000, classes: 4 };

export interface EstimateRequest {
  datasetId?: string;
  config: unknown;
  backend?: BackendChoice;
}

export interface EstimateLabDeps {
  store: BlobStore;
  /** The backend a call asks for (while a job runs, the job's own). */
  ensureBackend: (choice?: BackendChoice) => Promise<BackendInfo>;
  /** Runs a measurement as a job of its own, or says it cannot now (another job holds the machine). */
  tryExclusive: <T>(job: () => Promise<T>) => Promise<T | undefined>;
  presets: () => PresetInfo[];
  /** Whether `file:` bases can be read here (the terminal), or not (the page). */
  readsFiles: boolean;
}

const busy = (what: string) =>
  new LabError(`Cannot measure ${what} now: another job holds the machine, and a measurement taken beside it would be wrong. Ask again when it has finished.`);

export function estimateLab(deps: EstimateLabDeps) {
  const { store } = deps;

  const sizesOf = async (datasetId?: string): Promise<DataSizes> => {
    if (!datasetId) return AG_NEWS_SIZES;
    const meta = await getDatasetMeta(store, datasetId);
    if (!meta) throw new ConfigError(`No dataset ${datasetId} in this lab: import it first, or ask without one for AG News's sizes.`);
    return { train: meta.sizes.train, validation: meta.sizes.validation, classes: meta.classes.length };
  };

  const calibrationFor = async (info: BackendInfo, fresh = false): Promise<Calibration> => {
    const cached = fresh ? undefined : await cachedCalibration(store, info);
    if (cached) return cached;
    const measured = await deps.tryExclusive(() => measureCalibration(store, info));
    if (!measured) throw busy(`the ${info.backend} backend's speed`);
    return measured;
  };

  /** The guard's refusals at the start of this run, and a peak above what the backend can hold. */
  const problemsOf = (config: ExperimentConfig, data: DataSizes, info: BackendInfo | undefined, e: RunEstimate): string[] => {
    const limits = info ? activeDeviceLimits(info) : undefined;
    const out: string[] = [];
    if (config.guard.override === undefined)
      for (const f of validateConfig(config, data, { device: limits }))
        if (f.severity === 'block') out.push(`[${f.rule}] ${f.message}${f.saferAlternatives.length ? ` Safer: ${f.saferAlternatives.join('; ')}.` : ''}`);
    if (limits?.memoryBudget !== undefined && e.peakBytes > limits.memoryBudget && !out.some((p) => p.startsWith('[device-memory]')))
      out.push(`[device-memory] about ${bytes(e.peakBytes)} at its peak, above the ${e.backend} backend's ${bytes(limits.memoryBudget)}.`);
    return out;
  };

  /** The config's own timed fit on this device, from the store or measured now. */
  const fitRateFor = async (model: ExperimentConfig['model'], device: string): Promise<FitRate> => {
    const cached = await cachedFitRate(store, model, device);
    if (cached) return cached;
    const measured = await deps.tryExclusive(() => measureFitRate(store, model, device));
    if (!measured) throw busy(`${model.type}'s training rate`);
    return measured;
  };

  const estimate = async (req: EstimateRequest): Promise<RunEstimate> => {
    const config = parseExperimentConfig(req.config, 'config');
    const data = await sizesOf(req.datasetId);
    if (config.model.type === 'ensemble' || config.model.type === 'cascade') return estimateRun({ config, data, backend: 'cpu' });
    if (trainsOnPlain(config.model)) {
      const e = estimateRun({ config, data, backend: 'cpu', rate: await fitRateFor(config.model, PLAIN_DEVICE) });
      return { ...e, problems: problemsOf(config, data, undefined, e) };
    }
    // A kernel the backend lacks (WASM's Conv2DBackpropFilter) moves the timing to the next backend, as a run would move.
    const first = await deps.ensureBackend(req.backend);
    const e = await withBackendFallback(
      (choice) => (choice === first.backend ? Promise.resolve(first) : deps.ensureBackend(choice)),
      first.backend,
      async (info) => {
        const calibration = await calibrationFor(info);
        const rate = needsFitRate(config.model) ? await fitRateFor(config.model, deviceOf(info)) : undefined;
        const e = estimateRun({ config, data, backend: info.backend, calibration, rate });
        return {
          ...e,
          problems: problemsOf(config, data, info, e),
          basis:
            e.basis +
            info.skipped
              .slice(first.skipped.length)
              .map((s) => `; not ${s.backend}: ${s.reason}`)
              .join(''),
        };
      },
    );
    return e;
  };

  return {
    estimate,

    /** Measures the backend again; the configs' own timed fits are dropped, to be measured again at their next estimate. */
    async calibrate(backend?: BackendChoice): Promise<Calibration> {
      const info = await deps.ensureBackend(backend);
      const calibration = await calibrationFor(info, true);
      await store.remove('estimate/fit-rate/');
      return calibration;
    },

    /** This device's cached calibrations, one per backend measured. */
    async calibrations(): Promise<Calibration[]> {
      const paths = await store.list('estimate/calibration/');
      const all = await Promise.all(paths.map(async (p) => JSON.parse(new TextDecoder().decode((await store.read(p))!)) as Calibration));
      return all.filter((c) => c.backend !== 'webgpu' || c.device.startsWith('webgpu'));
    },

    async recommend(req: RecommendRequest): Promise<RecommendResult> {
      if (!(req.budgetSeconds > 0)) throw new ConfigError(`budgetSeconds must be a positive number of seconds, got ${req.budgetSeconds}`);
      if (req.memoryBytes !== undefined && !(req.memoryBytes > 0)) throw new ConfigError(`memoryBytes must be a positive number of bytes, got ${req.memoryBytes}`);
      // An unknown dataset is refused once, not once per preset.
      await sizesOf(req.datasetId);
      const judged: JudgedPreset[] = [];
      for (const p of deps.presets()) {
        const base = (p.config as { model?: { base?: unknown } } | undefined)?.model?.base;
        if (!deps.readsFiles && typeof base === 'string' && base.startsWith('file:')) {
          judged.push({ preset: p.name, unavailable: `its base is a local folder (${base}), which the page cannot read: train it with the agnews runner` });
          continue;
        }
        try {
          judged.push({ preset: p.name, estimate: await estimate({ datasetId: req.datasetId, config: p.config, backend: req.backend }) });
        } catch (e) {
          if (e instanceof LabError && /another job holds/.test(e.message)) throw e;
          judged.push({ preset: p.name, unavailable: `cannot be estimated: ${(e as Error).message}` });
        }
      }
      return recommend(judged, { seconds: req.budgetSeconds, memoryBytes: req.memoryBytes });
    },
  };
}
