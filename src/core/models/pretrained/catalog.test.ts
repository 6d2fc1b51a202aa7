/* eslint-disable no-restricted-imports -- the test reads the shared config.json shapes */
/**
 * The catalog's figures against the checkpoints' own sizes: parameters recounted from the
 * config.json files in ../shared/models/shapes (exact copies of the Hub's) and from each entry's
 * shape; download sizes against float32 (safetensors) or float16 (DeBERTa-v3's .bin) weights;
 * and the estimates against memory.ts and the FLOP count they are built from.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALIBRATION_RUN, CALIBRATION_SHAPE, PRETRAINED_CATALOG, calibrationFrom, catalogConfig, catalogEntryOf, encoderParameters, estimateFineTuning } from './catalog';
import { encoderFlops, encoderShape } from './encoder-flops';
import { pretrainedSizes } from './memory';
import type { HfConfig } from './types';

const shapes = resolve(import.meta.dirname, '../../../../../shared/models/shapes');
const shapeFile = (name: string) => JSON.parse(readFileSync(resolve(shapes, name, 'config.json'), 'utf8')) as HfConfig;

const entry = (name: string) => PRETRAINED_CATALOG.find((e) => e.name === name)!;

describe('the pretrained catalog', () => {
  it('lists the eight curated encoders with Hub ids', () => {
    expect(PRETRAINED_CATALOG.map((e) => e.name)).toEqual([
      'bert-base-uncased',
      'distilbert-base-uncased',
      'roberta-base',
      'distilroberta-base',
      'electra-small-discriminator',
      'deberta-v3-small',
      'deberta-v3-base',
      'all-MiniLM-L6-v2',
    ]);
    for (const e of PRETRAINED_CATALOG) expect(e.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(catalogEntryOf('hf:sentence-transformers/all-MiniLM-L6-v2@main')?.name).toBe('all-MiniLM-L6-v2');
    expect(catalogEntryOf('hf:local/tiny-bert')).toBeUndefined();
  });

  it("matches the parameter counts of the Hub's config.json files in ../shared/models/shapes", () => {
    expect(encoderParameters(shapeFile('bert-base'))).toBe(entry('bert-base-uncased').parameters);
    expect(encoderParameters(shapeFile('distilbert-base'))).toBe(entry('distilbert-base-uncased').parameters);
    expect(encoderParameters(shapeFile('minilm-l6-h384'))).toBe(entry('all-MiniLM-L6-v2').parameters);
    // The model cards' round figures: 110M, 66M, 22.7M.
    expect(Math.round(entry('bert-base-uncased').parameters / 1e6)).toBe(109);
    expect(Math.round(entry('all-MiniLM-L6-v2').parameters / 1e5)).toBe(227);
  });

  it("holds, for every entry, the parameter count of its own shape and a download size of its weights' precision", () => {
    for (const e of PRETRAINED_CATALOG) {
      expect(encoderParameters(e.shape), e.name).toBe(e.parameters);
      // The weights file holds the encoder plus the pre-training heads: a few percent more than the encoder.
      const bytesPerWeight = e.architecture === 'DeBERTa-v3' ? 2 : 4;
      const ratio = e.downloadBytes / (bytesPerWeight * e.parameters);
      expect(ratio, e.name).toBeGreaterThan(0.98);
      expect(ratio, e.name).toBeLessThan(1.08);
    }
    // DeBERTa-v3-base: 86M backbone + 98M in the 128K-token embedding table (model card).
    expect(entry('deberta-v3-base').shape.vocab_size).toBe(128100);
  });

  it('estimates memory through memory.ts and time from the FLOP count and the calibrated speed', () => {
    const e = entry('all-MiniLM-L6-v2');
    const input = { method: 'lora' as const, batchSize: 16, maxLength: 64, classes: 4, trainExamples: 1000 };
    const cfg = catalogConfig(e, input);
    expect(cfg.base).toBe('hf:sentence-transformers/all-MiniLM-L6-v2');
    expect(cfg.pooling).toBe('mean');
    const speed = { backend: 'cpu', flopsPerSecond: 1e10 };
    const est = estimateFineTuning(e.shape, cfg, input, speed);
    const sizes = pretrainedSizes(cfg, 4, e.shape);
    expect(est.peakBytes).toBe(sizes.peakBytes);
    expect(est.trainable).toBe(sizes.trainable);
    expect(est.largestWeightBytes).toBe(30522 * 384 * 4);
    // 63 steps of two forward passes' worth (LoRA computes no gradient for frozen weights).
    const step = 2 * encoderFlops({ ...encoderShape(e.shape), labels: 4 }, 16, 64, 'infer');
    expect(est.secondsPerEpoch).toBeCloseTo((63 * step) / 1e10, 6);
    const full = estimateFineTuning(e.shape, catalogConfig(e, { ...input, method: 'full' }), { ...input, method: 'full' }, speed);
    expect(full.secondsPerEpoch! / est.secondsPerEpoch!).toBeCloseTo(1.5, 6);
    expect(full.peakBytes).toBeGreaterThan(est.peakBytes);
    expect(estimateFineTuning(e.shape, cfg, input).secondsPerEpoch).toBeUndefined();
  });

  it('turns a timed calibration step into FLOPs per second', () => {
    const flops = encoderFlops({ ...encoderShape(CALIBRATION_SHAPE), labels: 2 }, CALIBRATION_RUN.batch, CALIBRATION_RUN.length, 'train');
    expect(calibrationFrom('wasm', 500)).toEqual({ backend: 'wasm', flopsPerSecond: 2 * flops });
  });
});
