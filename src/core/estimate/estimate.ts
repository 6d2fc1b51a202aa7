/**
 * What a config will cost before it runs, from sizes only (the dataset's counts, the config,
 * the base's known shape): parameters, peak training memory, checkpoint size, and seconds per
 * epoch and in all, from measured rates. Two routes:
 *
 * - models trained from scratch (classical, fastText, TextCNN, Transformer, BiGRU): the config's
 *   own fit timed on a synthetic corpus (fit-rate.ts), extrapolated to the number of training
 *   examples; for a tensor model, the part the synthetic vocabulary leaves out (a dense update of
 *   a larger embedding table) is its family's FLOPs (spec `cost`) over the backend's calibrated
 *   FLOP rate. Memory and checkpoint follow the family's sizes and activations per example;
 * - pretrained encoders: the catalog's own figures (memory.ts sizes, encoder FLOPs over the
 *   calibrated FLOP rate).
 *
 * Validation passes are counted: once per epoch for the tensor loops, and at the end the
 * pipeline's scoring of the validation split and its prediction-speed probe.
 */
import type { ExperimentConfig } from '../experiment/config';
import type { BackendInfo } from '../experiment/result';
import type { Calibration, RunEstimate } from '../lab/quota-api';
import { estimateFineTuning } from '../models/pretrained/catalog';
import type { PretrainedConfig } from '../models/pretrained/config';
import { encoderFlops, encoderShape } from '../models/pretrained/encoder-flops';
import { KNOWN_SHAPES, knownShape } from '../models/pretrained/known-shapes';
import { pretrainedSizes } from '../models/pretrained/memory';
import { specOf, type ModelConfig } from '../models/registry';
import { memoryEstimate, type DataScale } from '../models/spec';
import { ConfigError } from '../util/errors';
import type { FitRate } from './fit-rate';

export interface DataSizes {
  train: number;
  validation: number;
  classes: number;
}

/** After training the pipeline predicts 512 validation texts in batches and 40 one at a time (experiment/analysis.ts measureEfficiency). */
export const SPEED_PROBE = { batched: 512, single: 40 } as const;

/**
 * FLOPs of one optimizer update per value: Adam's moments, bias corrections, square root and
 * step are about a dozen element-wise kernels, each reading and writing the whole tensor.
 */
export const UPDATE_FLOPS = 15;

/** WordPiece tokens of an AG News text (title and description), padded per length-sorted batch. */
export const PADDED_WORDPIECES = 64;

export interface EstimateInput {
  config: ExperimentConfig;
  data: DataSizes;
  /** The backend a tensor config would train on ('cpu' for plain TypeScript). */
  backend: BackendInfo['backend'];
  /** The backend's measured FLOP rate: tensor configs. */
  calibration?: Calibration;
  /** The config's own measured fit: every config trained from scratch. */
  rate?: FitRate;
}

/** Whether a config trains in plain TypeScript (no tensor backend to start or calibrate). */
export function trainsOnPlain(model: ModelConfig): boolean {
  return specOf(model.type)?.trainsOn(model) === 'plain';
}

/** Whether a config's estimate needs its own timed fit (fit-rate.ts): every model trained from scratch. */
export function needsFitRate(model: ModelConfig): boolean {
  return model.type !== 'pretrained' && model.type !== 'ensemble' && model.type !== 'cascade';
}

/** Examples a run trains and validates on after the config's caps. */
export function runSizes(config: ExperimentConfig, data: DataSizes): DataSizes {
  return {
    train: Math.min(data.train, config.data.maxTrain ?? Infinity),
    validation: Math.min(data.validation, config.data.maxValidation ?? Infinity),
    classes: data.classes,
  };
}

type Loop = { epochs: number; batchSize: number; accumulate: number; optimizer: string; earlyStopping: { restoreBest: boolean } | null };
const momentsOf = (optimizer: string) => (optimizer === 'sgd' ? 1 : optimizer === 'fasttext-sgd' ? 0 : 2);
const optimizerMemory = (optimizer: string) => (optimizer === 'sgd' ? 'sgd' : optimizer === 'fasttext-sgd' ? 'none' : 'adam');

export function estimateRun(input: EstimateInput): RunEstimate {
  const model = input.config.model;
  if (model.type === 'ensemble' || model.type === 'cascade')
    throw new ConfigError(`A ${model.type} is built from finished runs, not trained: there is no training run to estimate.`);
  const data = runSizes(input.config, input.data);
  if (model.type === 'pretrained') return pretrainedEstimate(model, data, input);
  const spec = specOf(model.type);
  const cost = spec?.cost?.(model, data);
  if (!spec || !cost) throw new ConfigError(`model.type "${model.type}": its family does not say how its cost scales (spec.cost), so it cannot be estimated.`);
  const rate = input.rate;
  if (!rate) throw new ConfigError(`${model.type}: its estimate needs the config's own timed fit on this device (lab.estimate measures it).`);
  const scale: DataScale = { train: data.train, classes: data.classes };
  const params = spec.estimate(model, scale).count;
  const plain = spec.trainsOn(model) === 'plain';
  const loop = 'train' in model ? (model.train as Loop) : undefined;
  const allocated = Math.max(params, cost.allocated ?? 0);
  const memory = plain ? spec.memory(model, scale) : memoryEstimate(allocated, optimizerMemory(loop!.optimizer));
  const scoring = (n: number) => rate.predictSecondsPerExample * n;
  // The final model is saved once; the pipeline's hashing and writing take about as long again as the encoding timed.
  const saving = (bytes: number) => 2 * (rate.saveSecondsPerByte ?? 0) * bytes;
  const probe = scoring(Math.min(SPEED_PROBE.batched, data.validation)) + rate.predictCallSeconds * Math.min(SPEED_PROBE.single, data.validation);

  if (plain) {
    // The timed fit ran every epoch (or solver pass) the config asks for.
    const fit = rate.fixedSeconds + rate.fitSecondsPerExample * data.train;
    return {
      model: model.type,
      backend: 'cpu',
      parameters: params,
      trainableParameters: params,
      // The solver's copies of the weights, and every training text's sparse row or token ids for the whole fit.
      peakBytes: memory.trainingBytes + data.train * cost.activationBytes,
      // A plain-TypeScript run saves its model once, at the end.
      checkpointBytes: memory.weightBytes + (cost.savedExtraBytes ?? 0),
      secondsPerEpoch: fit / rate.epochs,
      seconds: fit + scoring(data.validation) + probe + saving(memory.weightBytes),
      epochs: rate.epochs,
      trainExamples: data.train,
      basis: `plain TypeScript: this config's own fit on this machine (${rate.shape}): ${fmt(rate.fixedSeconds)} s + ${fmt(rate.fitSecondsPerExample * 1000)} ms per example, measured ${rate.measuredAt}`,
      problems: [],
    };
  }

  const cal = needCalibration(model.type, input);
  const epochs = loop!.epochs;
  const updates = Math.ceil(Math.ceil(data.train / loop!.batchSize) / loop!.accumulate);
  // A real vocabulary is larger than the synthetic one: its dense update costs more per step than the timed one did.
  const larger = Math.max(0, cost.updatedPerStep - rate.parameters);
  const epoch = rate.fitSecondsPerExample * data.train + (UPDATE_FLOPS * larger * updates) / cal.trainFlopsPerSecond;
  const restoreBest = loop!.earlyStopping?.restoreBest ? 1 : 0;
  return {
    model: model.type,
    backend: input.backend,
    parameters: params,
    trainableParameters: params,
    // Weights, gradients and moments; one batch's activations; and the update's new value and moments of the largest weight before the old ones go.
    peakBytes: memory.trainingBytes + loop!.batchSize * cost.activationBytes + 4 * (1 + momentsOf(loop!.optimizer)) * (cost.largest ?? 0),
    // A 'latest' checkpoint: the weights, the optimizer's moments, and the best weights when early stopping restores them.
    checkpointBytes: 4 * allocated * (1 + momentsOf(loop!.optimizer) + restoreBest),
    secondsPerEpoch: epoch,
    seconds: rate.fixedSeconds + epochs * (epoch + scoring(data.validation)) + scoring(data.validation) + probe + saving(4 * allocated),
    epochs,
    trainExamples: data.train,
    basis:
      `this config's own training steps on the ${input.backend} backend (${rate.shape}): ${fmt(rate.fixedSeconds)} s + ${fmt(rate.fitSecondsPerExample * 1000)} ms per example, measured ${rate.measuredAt}` +
      (larger > 0 ? `; the larger real vocabulary's updates at the calibrated ${fmt(cal.trainFlopsPerSecond / 1e9)} GFLOP/s` : '') +
      (loop!.earlyStopping ? '; early stopping may end it sooner' : ''),
    problems: [],
  };
}

function pretrainedEstimate(model: PretrainedConfig, data: DataSizes, input: EstimateInput): RunEstimate {
  const cal = needCalibration(model.type, input);
  const shape = knownShape(model.base) ?? KNOWN_SHAPES['bert-base-uncased'];
  const sizes = pretrainedSizes(model, data.classes, shape);
  // Batches are padded to their longest text, not to maxLength: time follows the padded length, the peak the longest batch (maxLength).
  const length = Math.min(model.maxLength, PADDED_WORDPIECES);
  const run = { method: model.method, batchSize: model.train.batchSize, maxLength: length, classes: data.classes, trainExamples: data.train };
  const fine = estimateFineTuning(shape, model, run, { backend: cal.backend, flopsPerSecond: cal.trainFlopsPerSecond });
  const perExample = encoderFlops({ ...encoderShape(shape), labels: data.classes }, 1, Math.min(length, Number(shape.max_position_embeddings ?? length)), 'infer');
  const inferRate = cal.inferFlopsPerSecond ?? cal.trainFlopsPerSecond;
  const epoch = fine.secondsPerEpoch ?? NaN;
  const epochs = model.train.epochs;
  return {
    model: model.type,
    backend: input.backend,
    parameters: sizes.total,
    trainableParameters: sizes.trainable,
    peakBytes: sizes.peakBytes,
    // What a 'latest' checkpoint writes: the trained weights and AdamW's two moments; the base stays a reference.
    checkpointBytes: 12 * sizes.trainable,
    secondsPerEpoch: epoch,
    seconds: epochs * (epoch + (perExample * data.validation) / inferRate) + (perExample * (data.validation + SPEED_PROBE.batched + SPEED_PROBE.single)) / inferRate,
    epochs,
    trainExamples: data.train,
    basis: `${sizes.basis}; encoder FLOPs at ${length} tokens over the ${cal.backend} backend's calibrated ${fmt(cal.trainFlopsPerSecond / 1e9)} GFLOP/s (${cal.shape}, measured ${cal.measuredAt})`,
    problems: [],
  };
}

function needCalibration(type: string, input: EstimateInput): Calibration {
  if (!input.calibration) throw new ConfigError(`${type} trains on the ${input.backend} backend: its estimate needs that backend's calibration (lab.calibrate).`);
  return input.calibration;
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
