/**
 * The estimator's counts, worked out by hand for one small config per family (the arithmetic is
 * in the comments), and its time arithmetic on a fake measured rate and calibration.
 */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../experiment/config';
import type { Calibration } from '../lab/quota-api';
import { PRETRAINED_CATALOG } from '../models/pretrained/catalog';
import { pretrainedSizes } from '../models/pretrained/memory';
import type { PretrainedConfig } from '../models/pretrained/config';
import { estimateRun } from './estimate';
import type { FitRate } from './fit-rate';

const data = { train: 1000, validation: 200, classes: 4 };
const rate: FitRate = {
  config: 'test',
  device: 'test',
  fixedSeconds: 1,
  fitSecondsPerExample: 0.001,
  epochs: 1,
  parameters: 0,
  predictSecondsPerExample: 0.0001,
  predictCallSeconds: 0.01,
  saveSecondsPerByte: 0,
  shape: 'fake',
  seconds: 0,
  measuredAt: 'never',
};
const calibration: Calibration = { backend: 'wasm', device: 'wasm', trainFlopsPerSecond: 1e9, inferFlopsPerSecond: 2e9, shape: 'fake', seconds: 0, measuredAt: 'never' };
const config = (model: Record<string, unknown>, extra: Record<string, unknown> = {}) => parseExperimentConfig({ name: 't', model, ...extra });

describe('estimateRun: counts per family', () => {
  it('classical: features x classes + biases, two weight copies while fitting, a sparse row per training text', () => {
    const e = estimateRun({
      config: config({ type: 'tfidf-logreg', vectorizer: { word: { ngramMin: 1, ngramMax: 2, maxFeatures: 1000 }, char: null } }),
      data,
      backend: 'cpu',
      rate,
    });
    // 1000 features x 4 classes + 4 biases.
    expect(e.parameters).toBe(4004);
    // Weights 4 x 4004 = 16,016 bytes; the solver keeps one more copy: 32,032. Each text holds
    // 44 unigram + 44 bigram positions as (int32, float32) pairs: 8 x 88 = 704 bytes, x 1000 texts.
    expect(e.peakBytes).toBe(32_032 + 704_000);
    // The weights, and the vocabulary's 1000 n-grams at 16 bytes each.
    expect(e.checkpointBytes).toBe(16_016 + 16_000);
    // Fit 1 s + 1000 x 1 ms; validation 200 x 0.1 ms; the speed probe 200 batched x 0.1 ms + 40 calls x 10 ms.
    expect(e.secondsPerEpoch).toBeCloseTo(2, 10);
    expect(e.seconds).toBeCloseTo(2 + 0.02 + 0.02 + 0.4, 10);
    expect(e.backend).toBe('cpu');
  });

  it("fastText's own SGD (plain TypeScript): words and touched bigram rows x dim, no optimizer state", () => {
    const e = estimateRun({
      config: config({ type: 'fasttext', dim: 10, maxWords: 100, buckets: 1000, train: { optimizer: 'fasttext-sgd', epochs: 5 } }),
      data,
      backend: 'cpu',
      rate: { ...rate, epochs: 5 },
    });
    // 100 words + 1000 buckets (1000 x 39 bigrams thrown into 1000 buckets reach all of them) = 1100 rows x 10 + 10 x 4 + 4.
    expect(e.parameters).toBe(11_044);
    // Weights once (no moments): 44,176 bytes; each text keeps 48 word + 47 bigram ids: 4 x 95 = 380 bytes.
    expect(e.peakBytes).toBe(44_176 + 380_000);
    expect(e.checkpointBytes).toBe(44_176);
    // The timed fit ran all 5 epochs: 2 s in all, 0.4 s each.
    expect(e.secondsPerEpoch).toBeCloseTo(0.4, 10);
  });

  it('fastText on tensors (lazy Adam): the whole table is allocated, with two moments and a gradient', () => {
    const e = estimateRun({ config: config({ type: 'fasttext', dim: 10, maxWords: 100, buckets: 2000 }), data, backend: 'wasm', rate, calibration });
    // Touched buckets: 2000 x (1 - e^(-39000/2000)) = 2000; 100 words; 2100 x 10 + 44 = 21,044 allocated and counted.
    expect(e.parameters).toBe(21_044);
    // Adam: 4 copies x 4 bytes x 21,044 = 336,704; activations per text 16 x 95 rows x 10 = 15,200, x batch 64;
    // the update's new table, m and v beside the old: 3 x 4 x 2100 x 10.
    expect(e.peakBytes).toBe(336_704 + 64 * 15_200 + 252_000);
    // 'latest': weights + m + v.
    expect(e.checkpointBytes).toBe(3 * 4 * 21_044);
  });

  it('TextCNN: embeddings, one convolution per width, the output layer', () => {
    const e = estimateRun({
      config: config({ type: 'textcnn', embeddingDim: 8, filters: 4, widths: [2, 3], maxWords: 50, train: { earlyStopping: null } }),
      data,
      backend: 'wasm',
      rate,
      calibration,
    });
    // 52 rows (50 words + pad + unknown) x 8 = 416; widths 2 and 3: (2 x 8 x 4 + 4) + (3 x 8 x 4 + 4) = 168; 8 x 4 + 4 = 36.
    expect(e.parameters).toBe(620);
    // AdamW, 4 copies: 9,920 bytes. Per text at 48 tokens: 4 x (4 x 48 x 8 + [48 x 2 x 8 + 5 x 48 x 4] + [48 x 3 x 8 + 5 x 48 x 4]) = 21,504, x 64.
    // The update's new embedding table (52 x 8), m and v: 3 x 4 x 416.
    expect(e.peakBytes).toBe(9_920 + 64 * 21_504 + 4_992);
    expect(e.checkpointBytes).toBe(3 * 4 * 620);
  });

  it('Transformer: token and position embeddings, each layer four d x d projections, the feed-forward pair and two LayerNorms', () => {
    const e = estimateRun({
      config: config({ type: 'transformer', dim: 8, heads: 2, layers: 1, ffDim: 16, maxTokens: 16, maxWords: 50, train: { maxLen: 16, earlyStopping: { patience: 1 } } }),
      data,
      backend: 'wasm',
      rate,
      calibration,
    });
    // (52 + 16 positions) x 8 = 544; layer 4 x (64 + 8) + 2 x 8 x 16 + 16 + 8 + 4 x 8 = 600; final norm 16; head 8 x 4 + 4 = 36.
    expect(e.parameters).toBe(1196);
    // 'latest' holds the weights, m, v and (early stopping restores them) the best weights: 4 copies.
    expect(e.checkpointBytes).toBe(4 * 4 * 1196);
    // Per text at the longest batch, 16 tokens: 4 x (1 x 16 x (120 x 8 + 33 x 16 + 13 x 2 x 16) + 6 x 16 x 8) = 4 x (16 x 1904 + 768) = 124,928.
    expect(e.peakBytes).toBe(4 * 4 * 1196 + 64 * 124_928 + 4_992);
  });

  it('BiGRU: embeddings, two directions of three gates, the output over both final states', () => {
    const e = estimateRun({ config: config({ type: 'bigru', embeddingDim: 4, hidden: 3, maxWords: 50 }), data, backend: 'wasm', rate, calibration });
    // 52 x 4 = 208; per direction 3 x 3 x (4 + 3) + 6 x 3 = 81, twice; 2 x 3 x 4 + 4 = 28.
    expect(e.parameters).toBe(398);
  });

  it('pretrained: the known shape counted through the architecture, LoRA trains its adapters and the head; the checkpoint holds what trains and its moments', () => {
    const cfg = config({ type: 'pretrained', base: 'hf:google-bert/bert-base-uncased', method: 'lora', lora: { r: 8, alpha: 16 }, train: { batchSize: 2 } });
    const e = estimateRun({ config: cfg, data, backend: 'wasm', calibration });
    const bert = PRETRAINED_CATALOG.find((x) => x.name === 'bert-base-uncased')!;
    // The catalog's encoder (the Hub's 109,482,240) plus the 768 x 4 + 4 classifier.
    expect(e.parameters).toBe(bert.parameters + 768 * 4 + 4);
    // LoRA r 8 on query and value of 12 layers: 12 x 2 x 8 x (768 + 768) = 294,912, plus the classifier's 3,076.
    expect(e.trainableParameters).toBe(294_912 + 3_076);
    expect(e.checkpointBytes).toBe(12 * (294_912 + 3_076));
    // The peak is memory.ts's figure (bench pretrained checks it against measured steps).
    expect(e.peakBytes).toBe(pretrainedSizes(cfg.model as PretrainedConfig, 4).peakBytes);
    expect(e.basis).toMatch(/bert: 12 layers x hidden 768/);
  });

  it('pretrained MiniLM, full fine-tuning: every weight trains', () => {
    const cfg = config({ type: 'pretrained', base: 'hf:sentence-transformers/all-MiniLM-L6-v2', pooling: 'mean', train: { batchSize: 8 } });
    const e = estimateRun({ config: cfg, data, backend: 'wasm', calibration });
    const minilm = PRETRAINED_CATALOG.find((x) => x.name === 'all-MiniLM-L6-v2')!;
    // 22,713,216 in the encoder plus the 384 x 4 + 4 classifier (mean pooling: no pooler).
    expect(e.parameters).toBe(minilm.parameters + 384 * 4 + 4);
    expect(e.trainableParameters).toBe(e.parameters);
  });
});

describe('estimateRun: time from measured rates', () => {
  it('a tensor model: fixed part once, then per epoch the timed rate plus the larger vocabulary at the calibrated FLOP rate, and validation each epoch', () => {
    const cfg = config({ type: 'textcnn', embeddingDim: 8, filters: 4, widths: [2, 3], maxWords: 50, train: { epochs: 2, batchSize: 100, earlyStopping: null } });
    // The synthetic fit had 120 parameters fewer than the 620 the real vocabulary gives: 500 more updated per step.
    const e = estimateRun({ config: cfg, data, backend: 'wasm', rate: { ...rate, parameters: 120 }, calibration });
    // Epoch: 1000 x 1 ms + 15 FLOPs x 500 x 10 updates / 1e9 = 1 + 7.5e-5 s.
    expect(e.secondsPerEpoch).toBeCloseTo(1 + 7.5e-5, 10);
    // 1 s fixed + 2 x (epoch + 200 x 0.1 ms) + final validation 0.02 + probe (0.02 + 0.4).
    expect(e.seconds).toBeCloseTo(1 + 2 * (1 + 7.5e-5 + 0.02) + 0.02 + 0.42, 10);
    expect(e.epochs).toBe(2);
  });

  it('a capped run is estimated on its caps', () => {
    const e = estimateRun({ config: config({ type: 'tfidf-nb' }, { data: { maxTrain: 100, maxValidation: 10 } }), data, backend: 'cpu', rate });
    expect(e.trainExamples).toBe(100);
    expect(e.seconds).toBeCloseTo(1 + 0.1 + 0.001 + 0.001 + 0.1, 10);
  });

  it('refuses what it cannot estimate, with the reason', () => {
    expect(() => estimateRun({ config: config({ type: 'tfidf-nb' }), data, backend: 'cpu' })).toThrow(/measured|timed fit/);
    expect(() => estimateRun({ config: config({ type: 'textcnn' }), data, backend: 'wasm', rate })).toThrow(/calibration/);
    expect(() => estimateRun({ config: config({ type: 'ensemble', members: ['a', 'b'], method: 'soft' }), data, backend: 'cpu' })).toThrow(/built from finished runs/);
  });
});
