/**
 * The curated pretrained encoders the page offers, with what a user weighs before a download:
 * architecture, parameters, download size, licence, and for a given config the estimated peak
 * memory and time per epoch on this device.
 *
 * Where the figures come from: `shape` is each checkpoint's config.json on the Hub (the sizes
 * only, kept in known-shapes.ts); `parameters` is the encoder this lab fine-tunes (every weight of the checkpoint's
 * sequence classifier but the task head), counted from that shape (the test recounts it from
 * ../shared/models/shapes where a config is there, and from `shape` for every entry);
 * `downloadBytes` is the size of the weights file the Hub lists on the model's "Files" page
 * (model.safetensors in float32; DeBERTa-v3's pytorch_model.bin in float16), rounded to the
 * megabyte as shown there; `licence` is the model card's licence tag.
 */
import type { HfConfig } from './types';
import { architectureFor } from './architectures';
import { pretrainedSizes } from './memory';
import { KNOWN_SHAPES, smallBert } from './known-shapes';
import { encoderFlops, encoderShape } from './encoder-flops';
import { pretrainedSchema, type PretrainedConfig } from './config';

export type PretrainedMethod = PretrainedConfig['method'];

export interface CatalogEntry {
  /** `OWNER/NAME` on the Hub. */
  id: string;
  /** The short name people use (the model card's title). */
  name: string;
  architecture: 'BERT' | 'DistilBERT' | 'RoBERTa' | 'ELECTRA' | 'DeBERTa-v3';
  parameters: number;
  downloadBytes: number;
  licence: string;
  /** The pooling the checkpoint was trained with (sentence-transformers: mean). */
  pooling: 'cls' | 'mean';
  shape: HfConfig;
  /** What a user should know before picking it (files the lab cannot read, and so on). */
  note?: string;
}

const DEBERTA_NOTE =
  'Its Hub repository keeps float16 pytorch_model.bin and spm.model: pick a revision with model.safetensors and tokenizer.json (the lab says which file is missing).';

const MB = 1_000_000;

export const PRETRAINED_CATALOG: readonly CatalogEntry[] = [
  {
    id: 'google-bert/bert-base-uncased',
    name: 'bert-base-uncased',
    architecture: 'BERT',
    parameters: 109_482_240,
    downloadBytes: 440 * MB,
    licence: 'apache-2.0',
    pooling: 'cls',
    shape: KNOWN_SHAPES['bert-base-uncased'],
  },
  {
    id: 'distilbert/distilbert-base-uncased',
    name: 'distilbert-base-uncased',
    architecture: 'DistilBERT',
    parameters: 66_362_880,
    downloadBytes: 268 * MB,
    licence: 'apache-2.0',
    pooling: 'cls',
    shape: KNOWN_SHAPES['distilbert-base-uncased'],
  },
  {
    id: 'FacebookAI/roberta-base',
    name: 'roberta-base',
    architecture: 'RoBERTa',
    parameters: 124_055_040,
    downloadBytes: 499 * MB,
    licence: 'mit',
    pooling: 'cls',
    shape: KNOWN_SHAPES['roberta-base'],
  },
  {
    id: 'distilbert/distilroberta-base',
    name: 'distilroberta-base',
    architecture: 'RoBERTa',
    parameters: 81_527_808,
    downloadBytes: 331 * MB,
    licence: 'apache-2.0',
    pooling: 'cls',
    shape: KNOWN_SHAPES['distilroberta-base'],
  },
  {
    id: 'google/electra-small-discriminator',
    name: 'electra-small-discriminator',
    architecture: 'ELECTRA',
    parameters: 13_483_008,
    downloadBytes: 54 * MB,
    licence: 'apache-2.0',
    pooling: 'cls',
    shape: KNOWN_SHAPES['electra-small-discriminator'],
  },
  {
    id: 'microsoft/deberta-v3-small',
    name: 'deberta-v3-small',
    architecture: 'DeBERTa-v3',
    parameters: 141_304_320,
    downloadBytes: 286 * MB,
    licence: 'mit',
    pooling: 'cls',
    shape: KNOWN_SHAPES['deberta-v3-small'],
    note: DEBERTA_NOTE,
  },
  {
    id: 'microsoft/deberta-v3-base',
    name: 'deberta-v3-base',
    architecture: 'DeBERTa-v3',
    parameters: 183_831_552,
    downloadBytes: 371 * MB,
    licence: 'mit',
    pooling: 'cls',
    shape: KNOWN_SHAPES['deberta-v3-base'],
    note: DEBERTA_NOTE,
  },
  {
    id: 'sentence-transformers/all-MiniLM-L6-v2',
    name: 'all-MiniLM-L6-v2',
    architecture: 'BERT',
    parameters: 22_713_216,
    downloadBytes: 91 * MB,
    licence: 'apache-2.0',
    pooling: 'mean',
    shape: KNOWN_SHAPES['all-MiniLM-L6-v2'],
  },
];

/** Every weight of the sequence classifier `shape` describes except its task head: the encoder a run fine-tunes. */
export function encoderParameters(shape: HfConfig): number {
  let n = 0;
  for (const [name, s] of Object.entries(architectureFor(shape).weightShapes!(shape, 2)))
    if (!/^(classifier|pre_classifier|pooler)\./.test(name)) n += s.reduce((a, b) => a * b, 1);
  return n;
}

/** The catalog entry of a base address (`hf:OWNER/NAME[@REV]`), if it is one of them. */
export function catalogEntryOf(base: string): CatalogEntry | undefined {
  const id = base.replace(/^hf:/, '').replace(/@.*$/, '');
  return PRETRAINED_CATALOG.find((e) => e.id === id);
}

/** The part of a config an estimate depends on. */
export interface EstimateInput {
  method: PretrainedMethod;
  batchSize: number;
  maxLength: number;
  classes: number;
  /** Training examples per epoch. */
  trainExamples: number;
}

/** Floating-point operations per second the current backend reached on a small encoder (see calibration). */
export interface SpeedCalibration {
  backend: string;
  flopsPerSecond: number;
}

export interface CatalogEstimate {
  /** Weights, gradients and AdamW state of what trains, activations of one step (memory.ts). */
  peakBytes: number;
  trainable: number;
  /** The largest single weight: what must fit one WebGPU storage buffer. */
  largestWeightBytes: number;
  /** Undefined until the backend's speed has been measured. */
  secondsPerEpoch?: number;
}

/**
 * A full fine-tuning step is three forward passes' worth of work (encoder-flops.ts). A PEFT
 * method (LoRA, IA3, BitFit) still back-propagates through every layer for the input
 * gradients, but computes no gradient for the frozen weights: about two.
 */
const passes = (method: PretrainedMethod) => (method === 'full' ? 3 : 2);

/** A pretrained config with the catalog entry's base and pooling and the given settings. */
export function catalogConfig(entry: Pick<CatalogEntry, 'id' | 'pooling'>, input: Pick<EstimateInput, 'method' | 'batchSize' | 'maxLength'>): PretrainedConfig {
  return pretrainedSchema.parse({
    type: 'pretrained',
    base: `hf:${entry.id}`,
    method: input.method,
    pooling: entry.pooling,
    maxLength: input.maxLength,
    train: { batchSize: input.batchSize },
  });
}

/** Peak memory and time per epoch of fine-tuning `shape` with these settings, on the calibrated backend. */
export function estimateFineTuning(shape: HfConfig, cfg: PretrainedConfig, input: EstimateInput, speed?: SpeedCalibration): CatalogEstimate {
  const sizes = pretrainedSizes(cfg, input.classes, shape);
  const length = Math.min(input.maxLength, Number(shape.max_position_embeddings ?? input.maxLength));
  const es = { ...encoderShape(shape), labels: input.classes };
  const perStep = encoderFlops(es, input.batchSize, length, 'infer') * passes(input.method);
  const steps = Math.ceil(input.trainExamples / input.batchSize);
  return {
    peakBytes: sizes.peakBytes,
    trainable: sizes.trainable,
    largestWeightBytes: sizes.largest.bytes,
    secondsPerEpoch: speed && speed.flopsPerSecond > 0 ? (perStep * steps) / speed.flopsPerSecond : undefined,
  };
}

/**
 * The small encoder the calibration times (two layers, hidden 128): large enough that matrix
 * products dominate a step, small enough to take seconds even on the CPU backend or a software adapter.
 */
export const CALIBRATION_SHAPE: HfConfig = smallBert(1000, 128, 2, 2, 64);
export const CALIBRATION_RUN = { batch: 4, length: 32, steps: 1, warmup: 1 } as const;

/** FLOPs per second from a timed run of CALIBRATION_SHAPE (full fine-tuning steps). */
export function calibrationFrom(backend: string, msPerStep: number): SpeedCalibration {
  const flops = encoderFlops({ ...encoderShape(CALIBRATION_SHAPE), labels: 2 }, CALIBRATION_RUN.batch, CALIBRATION_RUN.length, 'train');
  return { backend, flopsPerSecond: flops / (msPerStep / 1000) };
}
