/**
 * What a config will cost before it runs, from sizes only (the dataset's counts, the config,
 * the base's known shape): parameters, peak training memory, checkpoint size, and seconds per
 * epoch and in all, from a measured rate. Three routes, by where the family trains:
 *
 * - plain TypeScript (classical, fastText's own SGD): the config's own fit timed on a synthetic
 *   corpus (plain-rate.ts), extrapolated to the number of training examples;
 * - tensors, from scratch (fastText on tensors, TextCNN, Transformer, BiGRU): the family's
 *   FLOPs per example (its spec's `cost`) over the backend's calibrated FLOP rate;
 * - pretrained encoders: the catalog's own estimate (memory.ts sizes, encoder FLOPs).
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
import type { DataScale, TrainingCost } from '../models/spec';
import { ConfigError } from '../util/errors';
import type { PlainRate } from './plain-rate';

export interface DataSizes {
  train: number;
  validation: number;
  classes: number;
}

/** Texts the pipeline predicts after training besides the validation split: 512 in batches and 40 one by one (experiment/analysis.ts). */
export const SPEED_PROBE_TEXTS = 512 + 40;

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
  /** The backend's measured speed, for tensor configs. */
  calibration?: Calibration;
  /** The config's own measured rate, for plain-TypeScript configs. */
  plain?: PlainRate;
}

/** Whether a config trains in plain TypeScript (its estimate needs a PlainRate) or on tensors (a Calibration). */
export function trainsOnPlain(model: ModelConfig): boolean {
  return specOf(model.type)?.trainsOn(model) === 'plain';
}

/** Examples a run trains and validates on after the config's caps. */
export function runSizes(config: ExperimentConfig, data: DataSizes): DataSizes {
  return {
    train: Math.min(data.train, config.data.maxTrain ?? Infinity),
    validation: Math.min(data.validation, config.data.maxValidation ?? Infinity),
    classes: data.classes,
  };
}

const epochsOf = (model: ModelConfig) => ('train' in model && typeof model.train === 'object' && 'epochs' in model.train ? model.train.epochs : 1);
const momentsOf = (optimizer: string) => (optimizer === 'sgd' ? 1 : optimizer === 'fasttext-sgd' ? 0 : 2);

export function estimateRun(input: EstimateInput): RunEstimate {
  const model = input.config.model;
  if (model.type === 'ensemble' || model.type === 'cascade')
    throw new ConfigError(`A ${model.type} is built from finished runs, not trained: there is no training run to estimate.`);
  const data = runSizes(input.config, input.data);
  if (model.type === 'pretrained') return pretrainedEstimate(model, data, input);
  const spec = specOf(model.type);
  const cost = spec?.cost?.(model, data);
  if (!spec || !cost) throw new ConfigError(`model.type "${model.type}": its family does not say how its cost scales (spec.cost), so it cannot be estimated.`);
  const scale: DataScale = { train: data.train, classes: data.classes };
  const params = spec.estimate(model, scale).count;
  const memory = spec.memory(model, scale);
  const epochs = epochsOf(model);
  if (spec.trainsOn(model) === 'plain') return plainEstimate(model.type, data, params, memory.trainingBytes, memory.weightBytes, cost, epochs, input.plain);
  return tensorEstimate(input.config, data, params, memory.trainingBytes, cost, epochs, input);
}

function plainEstimate(
  type: string,
  data: DataSizes,
  params: number,
  trainingBytes: number,
  weightBytes: number,
  cost: TrainingCost,
  epochs: number,
  rate: PlainRate | undefined,
): RunEstimate {
  if (!rate) throw new ConfigError(`${type} trains in plain TypeScript: its estimate needs the config's measured rate (lab.calibrate).`);
  const fit = rate.fixedSeconds + rate.fitSecondsPerExample * data.train;
  const scoring = rate.predictSecondsPerExample * (data.validation + SPEED_PROBE_TEXTS);
  return {
    model: type,
    backend: 'cpu',
    parameters: params,
    trainableParameters: params,
    // The solver's copies of the weights, and every training text's sparse row or token ids for the whole fit.
    peakBytes: trainingBytes + data.train * cost.activationBytes,
    // A plain-TypeScript run saves its model once, at the end.
    checkpointBytes: weightBytes,
    secondsPerEpoch: fit / epochs,
    seconds: fit + scoring,
    epochs,
    trainExamples: data.train,
    basis: `plain TypeScript: this config fitted on synthetic AG News-like texts on this machine (${rate.shape}), ${fmt(rate.fixedSeconds)} s + ${fmt(rate.fitSecondsPerExample * 1000)} ms per example, measured ${rate.measuredAt}`,
    problems: [],
  };
}

function tensorEstimate(config: ExperimentConfig, data: DataSizes, params: number, trainingBytes: number, cost: TrainingCost, epochs: number, input: EstimateInput): RunEstimate {
  const cal = needCalibration(config.model.type, input);
  const loop = (config.model as { train: { batchSize: number; accumulate: number; optimizer: string; earlyStopping: { restoreBest: boolean } | null } }).train;
  const steps = Math.ceil(data.train / loop.batchSize);
  const updates = Math.ceil(steps / loop.accumulate);
  const trainFlops = 3 * cost.forwardFlops * data.train + UPDATE_FLOPS * (cost.updatedPerStep * updates + cost.updatedPerExample * data.train);
  const inferRate = cal.inferFlopsPerSecond ?? cal.trainFlopsPerSecond;
  const validation = (cost.forwardFlops * data.validation) / inferRate;
  const epoch = trainFlops / cal.trainFlopsPerSecond;
  const restoreBest = loop.earlyStopping?.restoreBest ? 1 : 0;
  return {
    model: config.model.type,
    backend: input.backend,
    parameters: params,
    trainableParameters: params,
    peakBytes: trainingBytes + loop.batchSize * cost.activationBytes,
    // A 'latest' checkpoint: the weights, the optimizer's moments, and the best weights when early stopping restores them.
    checkpointBytes: 4 * params * (1 + momentsOf(loop.optimizer) + restoreBest),
    secondsPerEpoch: epoch,
    seconds: epochs * (epoch + validation) + (cost.forwardFlops * (data.validation + SPEED_PROBE_TEXTS)) / inferRate,
    epochs,
    trainExamples: data.train,
    basis: `${fmt(cost.forwardFlops / 1e6)} MFLOP per example forward (x3 to train, ${cost.tokens} tokens) over the ${cal.backend} backend's calibrated ${fmt(cal.trainFlopsPerSecond / 1e9)} GFLOP/s (${cal.shape}, measured ${cal.measuredAt})${loop.earlyStopping ? '; early stopping may end it sooner' : ''}`,
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
    seconds: epochs * (epoch + (perExample * data.validation) / inferRate) + (perExample * (data.validation + SPEED_PROBE_TEXTS)) / inferRate,
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
