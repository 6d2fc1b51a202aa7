import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../experiment/config';
import { createEstimator, loadEstimator, modelFamily } from './registry';

describe('model registry (neural types)', () => {
  it('creates each neural model from its config type, with its defaults filled in', () => {
    for (const type of ['fasttext', 'textcnn', 'transformer', 'bigru']) {
      const m = createEstimator(parseExperimentConfig({ model: { type } }).model);
      expect([m.kind, m.family, modelFamily(type)]).toEqual([type, 'neural', 'neural']);
    }
    expect(parseExperimentConfig({ model: { type: 'bigru' } }).model).toMatchObject({ hidden: 64, embeddingDim: 64, tokenizer: 'words', train: { maxLen: 64 } });
    expect(parseExperimentConfig({ model: { type: 'fasttext' } }).model).toMatchObject({ order: 'shuffle' });
  });

  it('rejects unknown fields of the new options and unknown artifacts by name', () => {
    expect(() => parseExperimentConfig({ model: { type: 'bigru', units: 3 } })).toThrow(/units/);
    expect(() => parseExperimentConfig({ model: { type: 'fasttext', order: 'sorted' } })).toThrow(/order/);
    expect(() => loadEstimator({ kind: 'lstm', meta: {}, tensors: {} })).toThrow(/Cannot load a model of kind "lstm"/);
  });
});
