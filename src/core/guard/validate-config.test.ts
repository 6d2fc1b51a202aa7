import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../experiment/config';
import { parseExperimentConfig } from '../experiment/config';
import { createEstimator } from '../models/registry';
import { toyTopics } from '../models/neural/toy-data';
import { GuardError } from '../util/errors';
import { estimateParameters } from './param-estimate';
import { assertConfigSafe, validateConfig } from './validate-config';
import type { Finding } from './validate-config';

const fasttext = (model: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => parseExperimentConfig({ model: { type: 'fasttext', ...model }, data });
const agnews = { train: 29_055, validation: 3_228, classes: 4 };
const rule = (fs: Finding[], r: Finding['rule']) => fs.find((f) => f.rule === r);

describe('parameter estimates', () => {
  it('counts fastText rows x dim + dim x classes', () => {
    const e = estimateParameters(fasttext({ dim: 10, maxWords: 1000, buckets: 500 }), 4);
    expect(e).toMatchObject({ count: 1500 * 10 + 10 * 4 + 4, kind: 'neural' });
    expect(estimateParameters(fasttext({ dim: 10, maxWords: 1000, wordNgrams: 1 }), 4).count).toBe(10_044);
  });
  it('counts a BiGRU exactly once its vocabulary size is known', async () => {
    const cfg = parseExperimentConfig({ model: { type: 'bigru', minCount: 1, embeddingDim: 8, hidden: 6, train: { epochs: 1, batchSize: 16 } } });
    const m = createEstimator(cfg.model);
    await m.fit(toyTopics(32), { classes: ['a', 'b'], seed: 1 });
    const rows = (await m.save()).tensors.embedding.shape[0];
    const capped = parseExperimentConfig({ ...cfg, model: { ...cfg.model, maxWords: rows - 2 } });
    expect(estimateParameters(capped, 2)).toMatchObject({ count: m.parameterCount(), kind: 'neural' });
    m.dispose();
  });

  it('counts TF-IDF features x classes, assumes 1M for uncapped analyzers, and BERT-base for unknown models', () => {
    const lr = parseExperimentConfig({ model: { type: 'tfidf-logreg' } });
    expect(estimateParameters(lr, 4).count).toBe(100_000 * 4 + 4);
    const uncapped = parseExperimentConfig({ model: { type: 'tfidf-logreg', vectorizer: { word: { maxFeatures: null }, char: null } } });
    expect(estimateParameters(uncapped, 4).count).toBe(4_000_004);
    const unknown = { ...lr, model: { type: 'bert' } } as unknown as ExperimentConfig;
    expect(estimateParameters(unknown, 4)).toMatchObject({ count: 110_000_000, kind: 'unknown', exact: false });
    expect(estimateParameters(unknown, 4, 5_000).count).toBe(5_000);
  });
});

describe('validateConfig', () => {
  it('lets the default fastText config on AG News through, warning only about missing regularisation', () => {
    const fs = validateConfig(fasttext(), agnews);
    expect(fs.filter((f) => f.severity === 'block')).toEqual([]);
    expect(rule(fs, 'regularisation')).toMatchObject({ severity: 'warn' });
    expect(rule(fs, 'regularisation')!.message).toMatch(/without dropout, weight decay, early stopping/);
    expect(assertConfigSafe(fs)).toEqual({ overridden: false, findings: fs });
  });

  it('has nothing to say about the default classical configs', () => {
    for (const type of ['tfidf-nb', 'tfidf-logreg', 'tfidf-svm', 'tfidf-sgd']) {
      expect(validateConfig(parseExperimentConfig({ model: { type } }), agnews)).toEqual([]);
    }
  });

  it('blocks a large unregularised model on little data, with concrete alternatives', () => {
    const fs = validateConfig(fasttext({}, { maxTrain: 1_000 }), agnews);
    const p = rule(fs, 'params-per-example')!;
    expect(p.severity).toBe('warn');
    // (~20,000 words for 1,000 texts + the 32,294 of 100,000 buckets that 1,000 x 39 bigrams reach) x 32 + 32 x 4 + 4
    expect(p.value).toBeCloseTo(1_673_540 / 1_000);
    expect(p.message).toMatch(/32294 bigram buckets \(of 100000\) the training bigrams can reach/);
    expect(p.saferAlternatives).toContain('model.dim: 3');
    expect(p.saferAlternatives).toContain('data.maxTrain: remove it (train on all examples)');
    expect(rule(fs, 'regularisation')).toMatchObject({ severity: 'block' });
    expect(() => assertConfigSafe(fs)).toThrow(GuardError);
    expect(() => assertConfigSafe(fs)).toThrow(/\[regularisation\].*Safer: model.train.earlyStopping/);
  });

  it('lets the tuned fastText recipe (configs/fasttext-cpu.json) train on AG News: hashed rows it cannot reach and its short decaying run count', () => {
    const recipe = { tokenizer: 'fasttext', dim: 50, buckets: 1_000_000, maxTokens: 1024, order: 'file' };
    const cpu = fasttext({ ...recipe, train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 5 } });
    const est = estimateParameters(cpu, 4, undefined, agnews.train);
    // 29,055 texts x 39 bigrams reach ~678k of the 1M buckets, not all of them.
    expect(est.basis).toMatch(/\+ 67\d{4} bigram buckets \(of 1000000\)/);
    const fs = validateConfig(cpu, agnews);
    expect(fs.filter((f) => f.severity === 'block')).toEqual([]);
    expect(rule(fs, 'params-per-example')).toMatchObject({ severity: 'warn' });
    expect(rule(fs, 'regularisation')).toMatchObject({ severity: 'warn' });
    expect(rule(fs, 'regularisation')!.message).toMatch(/relies on its 5 epochs with the learning rate decayed to zero alone/);
    expect(assertConfigSafe(fs).overridden).toBe(false);
    // The credit needs the decay, few passes and enough data: without any of them the rule still blocks.
    expect(rule(validateConfig(fasttext({ ...recipe, train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 6 } }), agnews), 'regularisation')!.severity).toBe('block');
    expect(rule(validateConfig(fasttext({ ...recipe, train: { optimizer: 'sgd', lr: 0.5, epochs: 5, schedule: 'constant' } }), agnews), 'regularisation')!.severity).toBe('block');
    expect(rule(validateConfig(cpu, { ...agnews, train: 9_000 }), 'regularisation')!.severity).toBe('block');
  });

  it('uses a given parameter count over the estimate', () => {
    expect(rule(validateConfig(fasttext(), agnews, { parameterCount: 1_000 }), 'regularisation')).toBeUndefined();
  });

  it('flags many epochs, more strictly on small data, and relaxes with early stopping', () => {
    const big = rule(validateConfig(fasttext({ train: { epochs: 30 } }), agnews), 'epochs')!;
    expect(big).toMatchObject({ severity: 'warn', value: 30, threshold: 20, saferAlternatives: expect.arrayContaining(['model.train.epochs: 5']) });
    const small = { train: 5_000, validation: 1_000, classes: 4 };
    expect(rule(validateConfig(fasttext({ train: { epochs: 12 } }), small), 'epochs')!.severity).toBe('warn');
    expect(rule(validateConfig(fasttext({ train: { epochs: 60 } }), small), 'epochs')!.severity).toBe('block');
    const withStop = { ...fasttext({ train: { epochs: 60 } }) } as ExperimentConfig;
    (withStop.model as unknown as { earlyStopping: object }).earlyStopping = { patience: 2 };
    expect(rule(validateConfig(withStop, small), 'epochs')!.severity).toBe('info');
    expect(rule(validateConfig(fasttext({ train: { epochs: 5 } }), small), 'epochs')).toBeUndefined();
  });

  it('checks the learning rate against the optimizer range', () => {
    expect(rule(validateConfig(fasttext({ train: { lr: 2 } }), agnews), 'learning-rate')).toMatchObject({ severity: 'block', saferAlternatives: ['model.train.lr: 0.02'] });
    expect(rule(validateConfig(fasttext({ train: { lr: 0.5 } }), agnews), 'learning-rate')!.severity).toBe('warn');
    expect(rule(validateConfig(fasttext({ train: { lr: 1e-5 } }), agnews), 'learning-rate')!.severity).toBe('info');
    expect(rule(validateConfig(fasttext({ train: { lr: 0.5, optimizer: 'sgd' } }), agnews), 'learning-rate')).toBeUndefined();
  });

  it('flags a validation split too small for the classes', () => {
    expect(rule(validateConfig(fasttext(), { ...agnews, validation: 100 }), 'validation-size')).toMatchObject({ severity: 'warn', value: 25 });
    const capped = rule(validateConfig(fasttext({}, { maxValidation: 20 }), agnews), 'validation-size')!;
    expect(capped.severity).toBe('block');
    expect(capped.saferAlternatives[0]).toBe('data.maxValidation: remove it (use the whole validation split)');
  });

  it('flags weak penalties on linear models', () => {
    const lr = parseExperimentConfig({ model: { type: 'tfidf-logreg', C: 1e4 } });
    expect(rule(validateConfig(lr, agnews), 'regularisation')).toMatchObject({ severity: 'warn', saferAlternatives: ['model.C: 10'] });
  });

  it('checks LoRA rank against data size when a config has one', () => {
    const base = fasttext();
    const cfg = { ...base, model: { type: 'bert-lora', lora: { rank: 64 }, train: { epochs: 3, lr: 2e-4, optimizer: 'adam', dropout: 0.1 } } } as unknown as ExperimentConfig;
    const fs = validateConfig(cfg, { train: 5_000, validation: 1_000, classes: 4 });
    expect(rule(fs, 'lora-rank')).toMatchObject({ severity: 'block', saferAlternatives: ['model.lora.rank: 8'] });
    expect(rule(fs, 'learning-rate')).toBeUndefined(); // 2e-4 is inside the LoRA range
    expect(rule(fs, 'params-per-example')!.message).toMatch(/assumed BERT-base size/);
    expect(rule(fs, 'regularisation')).toMatchObject({ severity: 'info' });
  });

  it('blocks an empty training set', () => {
    expect(validateConfig(fasttext(), { train: 0, validation: 10, classes: 2 })[0]).toMatchObject({ rule: 'data-size', severity: 'block' });
  });
});

describe('assertConfigSafe', () => {
  const fs = validateConfig(fasttext({ train: { lr: 3 } }), agnews);
  it('lists block findings and their alternatives', () => {
    expect(() => assertConfigSafe(fs)).toThrow(/Config blocked by 1 overfitting check: 1\. \[learning-rate\].*Safer: model.train.lr: 0.02/);
  });
  it('returns the override record with the reason', () => {
    expect(assertConfigSafe(fs, { reason: ' divergence study ' })).toEqual({ overridden: true, reason: 'divergence study', findings: fs });
    expect(() => assertConfigSafe(fs, { reason: '' })).toThrow(/give a reason/);
  });
});
