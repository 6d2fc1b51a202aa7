import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../experiment/config';
import { createEstimator, loadEstimator, MODEL_SPECS, modelFamily, predictsWithTensors, specOf, trainsWithTensors } from './registry';
import { capabilitiesOf, MODEL_TRAITS, suggestedGrid, traitsOf } from './traits';

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

describe('model specs', () => {
  it('each type belongs to exactly one spec, whose schema parses it and whose traits the page reads', () => {
    // Composite models name the runs they combine: nothing to default, so their minimal config says which.
    const minimal: Record<string, object> = { ensemble: { method: 'soft', members: ['a', 'b'] }, cascade: { members: ['a', 'b'], secondsPer1000: [1, 20] } };
    const types = MODEL_SPECS.flatMap((s) => [...s.types]);
    expect(new Set(types).size).toBe(types.length);
    for (const spec of MODEL_SPECS) {
      for (const type of spec.types) {
        expect(parseExperimentConfig({ model: { type, ...minimal[type] } }).model.type).toBe(type);
        expect(traitsOf(type)).toMatchObject({ family: spec.family, capabilities: spec.capabilities });
        expect(specOf(type)).toBe(spec);
      }
    }
    expect(MODEL_TRAITS.flatMap((t) => [...t.types]).sort()).toEqual([...types].sort());
  });

  it('answers family, compute and capabilities from the spec', () => {
    expect(['tfidf-svm', 'fasttext', 'bigru'].map(modelFamily)).toEqual(['classical', 'neural', 'neural']);
    const cfg = (model: Record<string, unknown>) => parseExperimentConfig({ model }).model;
    expect(trainsWithTensors(cfg({ type: 'tfidf-nb' }))).toBe(false);
    expect(trainsWithTensors(cfg({ type: 'fasttext', train: { optimizer: 'fasttext-sgd', lr: 0.5 } }))).toBe(false);
    expect(trainsWithTensors(cfg({ type: 'fasttext' }))).toBe(true);
    expect(trainsWithTensors(cfg({ type: 'textcnn' }))).toBe(true);
    expect(predictsWithTensors({ kind: 'fasttext', meta: { params: { loop: { optimizer: 'fasttext-sgd' } } }, tensors: {} })).toBe(false);
    expect(predictsWithTensors({ kind: 'transformer', meta: {}, tensors: {} })).toBe(true);
    expect(capabilitiesOf('tfidf-logreg')).toMatchObject({ topFeatures: true, explain: false, gridSearch: true });
    expect(capabilitiesOf('fasttext')).toMatchObject({ topFeatures: false, explain: true });
    expect(capabilitiesOf('no-such-model')).toMatchObject({ explain: false, topFeatures: false });
    expect(suggestedGrid('tfidf-svm')).toEqual({ C: [0.25, 0.5, 1] });
  });

  it('estimates memory from the parameter estimate and the optimizer', () => {
    const adam = specOf('textcnn')!;
    const model = parseExperimentConfig({ model: { type: 'textcnn' } }).model;
    const est = adam.estimate(model, { train: 1000, classes: 4 });
    expect(adam.memory(model, { train: 1000, classes: 4 })).toEqual({ weightBytes: 4 * est.count, trainingBytes: 16 * est.count });
  });
});
