/**
 * The pretrained catalog as the page shows it: each curated encoder (and the base a config names,
 * when it is not one of them) with the estimated peak memory and time per epoch of that config on
 * this device, and the guard's refusals, if any, on the dataset picked (AG News's sizes when none).
 *
 * Time per epoch is the config's FLOPs over the FLOP rate the current backend reached on a small
 * encoder (a few timed steps, measured once per backend and kept): matrix products dominate
 * every encoder step alike, so the rate carries over, if optimistically for shapes the
 * calibration cannot show (a large vocabulary's gradient, DeBERTa's relative attention).
 */
import { getDatasetMeta } from '../data';
import { parseExperimentConfig, type ExperimentConfig } from '../experiment/config';
import type { BackendChoice, BackendInfo } from '../experiment/result';
import { validateConfig, type Finding } from '../guard/validate-config';
import {
  CALIBRATION_RUN,
  CALIBRATION_SHAPE,
  PRETRAINED_CATALOG,
  calibrationFrom,
  catalogEntryOf,
  encoderParameters,
  estimateFineTuning,
  type CatalogEntry,
  type CatalogEstimate,
  type SpeedCalibration,
} from '../models/pretrained/catalog';
import type { HfConfig } from '../models/pretrained/types';
import type { PretrainedConfig } from '../models/pretrained/config';
import { KNOWN_SHAPES, knownShape } from '../models/pretrained/known-shapes';
import { measureThroughput } from '../models/pretrained/throughput';
import type { DeviceLimits } from '../models/spec';
import { activeDeviceLimits } from '../guard/device-limits';
import type { BlobStore } from '../storage/port';
import { ConfigError } from '../util/errors';

/** What an unknown base is estimated as (the guard assumes the same). */
const BERT_BASE = KNOWN_SHAPES['bert-base-uncased'];

/** AG News with the lab's 10% validation split: the sizes assumed before a dataset is picked. */
const AG_NEWS_SIZES = { train: 108_000, validation: 12_000, classes: 4 };

export interface PretrainedCatalogRow {
  /** `OWNER/NAME[@REV]` on the Hub. */
  id: string;
  name: string;
  architecture: CatalogEntry['architecture'];
  /** The encoder's parameters; for a base outside the catalog, counted from its shape when the lab knows it. */
  parameters?: number;
  /** Only for curated entries (the Hub lists the exact sizes when the download starts). */
  downloadBytes?: number;
  licence?: string;
  pooling: CatalogEntry['pooling'];
  note?: string;
  /** Whether it is one of the curated entries or the base the config names. */
  curated: boolean;
  /** False for a base whose shape the lab does not know: its estimates are BERT-base's. */
  exactShape: boolean;
  estimate: CatalogEstimate;
  /** The guard's refusals of this config with this base on this data and device; empty when it would run. */
  refusals: Refusal[];
}

export interface Refusal {
  rule: Finding['rule'];
  message: string;
  saferAlternatives: string[];
}

export interface PretrainedCatalog {
  /** The backend the estimates are for, and its measured speed (absent when it could not be measured now). */
  backend: BackendInfo['backend'];
  speed?: SpeedCalibration;
  /** Why the speed was not measured, when it was not. */
  speedNote?: string;
  limits: DeviceLimits;
  data: { datasetId?: string; train: number; validation: number; classes: number };
  settings: { method: PretrainedConfig['method']; batchSize: number; maxLength: number };
  rows: PretrainedCatalogRow[];
}

export interface PretrainedLabDeps {
  store: BlobStore;
  ensureBackend: (choice?: BackendChoice) => Promise<BackendInfo>;
  /** Runs the calibration as a job of its own, or says it cannot now (another job holds the backend). */
  tryExclusive: <T>(job: () => Promise<T>) => Promise<T | undefined>;
}

/** The limits training is held to on the active backend (guard/device-limits): WebGPU's binding, WASM's heap. */
function deviceLimits(info: BackendInfo): DeviceLimits {
  return activeDeviceLimits(info) ?? {};
}

/** The config as given (an experiment config with a pretrained model), or the pretrained defaults. */
function baseConfig(config: unknown): ExperimentConfig {
  const parsed = parseExperimentConfig(config ?? { name: 'pretrained', model: { type: 'pretrained' } }, 'config');
  if (parsed.model.type !== 'pretrained') throw new ConfigError(`config: the pretrained catalog estimates pretrained configs, not model.type "${parsed.model.type}"`);
  return parsed;
}

export function pretrainedCatalogOf(deps: PretrainedLabDeps) {
  const speeds = new Map<string, SpeedCalibration>();

  const calibrate = async (backend: string): Promise<SpeedCalibration | undefined> => {
    const known = speeds.get(backend);
    if (known) return known;
    const measured = await deps.tryExclusive(() => measureThroughput(CALIBRATION_SHAPE, { ...CALIBRATION_RUN, mode: 'train', method: 'full', seed: 0 }));
    if (!measured) return undefined;
    const speed = calibrationFrom(backend, measured.msPerStep);
    speeds.set(backend, speed);
    return speed;
  };

  return async (datasetId?: string, config?: unknown, backend?: BackendChoice): Promise<PretrainedCatalog> => {
    const experiment = baseConfig(config);
    const model = experiment.model as PretrainedConfig;
    const meta = datasetId ? await getDatasetMeta(deps.store, datasetId) : undefined;
    if (datasetId && !meta) throw new ConfigError(`No dataset ${datasetId} in this lab: import it first, or ask without one for AG News's sizes.`);
    const data = meta ? { datasetId, train: meta.sizes.train, validation: meta.sizes.validation, classes: meta.classes.length } : AG_NEWS_SIZES;
    const info = await deps.ensureBackend(backend);
    const limits = deviceLimits(info);
    // A software adapter (SwiftShader) compiles each WebGPU kernel on the CPU: the calibration would take minutes.
    const software = info.backend === 'webgpu' && (info.adapter?.software ?? (info.adapter?.isSwiftShader ? 'SwiftShader' : undefined));
    const speed = software ? undefined : await calibrate(info.backend);
    const speedNote = software
      ? `not measured on a software WebGPU adapter (${software}): it runs on the CPU and compiles every kernel first, so the wasm backend is the faster choice here`
      : speed
        ? undefined
        : 'not measured: another job holds the backend';
    const train = Math.min(data.train, experiment.data.maxTrain ?? Infinity);
    const input = { method: model.method, batchSize: model.train.batchSize, maxLength: model.maxLength, classes: data.classes, trainExamples: train };

    type Candidate = Omit<PretrainedCatalogRow, 'curated' | 'exactShape' | 'estimate' | 'refusals'> & { shape?: HfConfig };
    const row = ({ shape, ...entry }: Candidate, curated: boolean): PretrainedCatalogRow => {
      const cfg: ExperimentConfig = { ...experiment, model: { ...model, base: `hf:${entry.id}`, pooling: entry.pooling } };
      const estimate = estimateFineTuning(shape ?? BERT_BASE, cfg.model as PretrainedConfig, input, speed);
      const findings = validateConfig(cfg, data, { device: Object.keys(limits).length ? limits : undefined }).filter((f) => f.severity === 'block');
      // The guard sizes bases it does not know as BERT-base; here the shape is known exactly.
      const refusals: Refusal[] = findings
        .filter((f) => !(shape && f.rule === 'device-memory'))
        .map(({ rule, message, saferAlternatives }) => ({ rule, message, saferAlternatives }));
      const binding = limits.maxStorageBufferBindingSize;
      if (shape && binding && estimate.largestWeightBytes > binding)
        refusals.push({
          rule: 'device-memory',
          message: `${entry.name}: its largest weight (the word-embedding table) takes ${mib(estimate.largestWeightBytes)}, above this adapter's largest storage buffer (${mib(binding)}): the GPU cannot bind it.`,
          saferAlternatives: ['a base with a smaller vocabulary or hidden size', 'the wasm or cpu backend (no binding limit)'],
        });
      if (shape && limits.memoryBudget !== undefined && estimate.peakBytes > limits.memoryBudget)
        refusals.push({
          rule: 'device-memory',
          message: `${entry.name} (${model.method}) needs about ${mib(estimate.peakBytes)} at its peak for batch ${model.train.batchSize} x length ${model.maxLength}, above the ${info.backend} backend's memory budget (${mib(limits.memoryBudget)}).`,
          saferAlternatives: ['a smaller model.train.batchSize with model.train.accumulate (the same effective batch)', 'a shorter model.maxLength', 'LoRA or another PEFT method'],
        });
      return { ...entry, curated, exactShape: !!shape, estimate, refusals };
    };

    const rows = PRETRAINED_CATALOG.map((e) => row(e, true));
    if (!catalogEntryOf(model.base) && model.base.startsWith('hf:')) {
      const id = model.base.slice(3);
      const shape = knownShape(model.base);
      rows.push(row({ id, name: id, architecture: architectureName(shape?.model_type), parameters: shape && encoderParameters(shape), pooling: model.pooling, shape }, false));
    }
    return {
      backend: info.backend,
      speed,
      speedNote,
      limits,
      data: { ...data, train },
      settings: { method: input.method, batchSize: input.batchSize, maxLength: input.maxLength },
      rows,
    };
  };
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

const ARCHITECTURE_NAMES: Record<string, CatalogEntry['architecture']> = {
  bert: 'BERT',
  distilbert: 'DistilBERT',
  roberta: 'RoBERTa',
  electra: 'ELECTRA',
  'deberta-v2': 'DeBERTa-v3',
};
const architectureName = (modelType?: string): CatalogEntry['architecture'] => ARCHITECTURE_NAMES[modelType ?? 'bert'] ?? 'BERT';
