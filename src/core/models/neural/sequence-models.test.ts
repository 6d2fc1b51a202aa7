import { describe, expect, it } from 'vitest';
import { toyTopics } from './toy-data';
import { parseExperimentConfig } from '../../experiment/config';
import { createEstimator, loadEstimator } from '../registry';

const toy = toyTopics;

const MODELS = {
  textcnn: { type: 'textcnn', minCount: 1, embeddingDim: 16, filters: 8, widths: [2, 3], train: { epochs: 6, batchSize: 16, lr: 0.01 } },
  bigru: { type: 'bigru', minCount: 1, embeddingDim: 16, hidden: 12, dropout: 0.1, train: { epochs: 6, batchSize: 16, lr: 0.01 } },
  transformer: {
    type: 'transformer',
    minCount: 1,
    maxTokens: 16,
    dim: 16,
    layers: 1,
    heads: 2,
    ffDim: 32,
    train: { epochs: 8, batchSize: 16, lr: 0.003, warmupSteps: 5, maxLen: 16 },
  },
};

describe('sequence models trained from scratch (CPU backend)', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name} learns a separable toy task; a saved model predicts identically`, async () => {
      const m = createEstimator(parseExperimentConfig({ model }).model);
      const summary = await m.fit(toy(160), { classes: ['sports', 'business'], seed: 2 });
      expect(summary.steps).toBeGreaterThan(0);
      const test = toy(40, 1000);
      const probs = await m.predictProba(test.map((e) => e.text));
      const acc = probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === test[i].label).length / test.length;
      expect(acc).toBeGreaterThanOrEqual(0.95);
      const again = loadEstimator(await m.save());
      expect(await again.predictProba(test.map((e) => e.text))).toEqual(probs);
      // Attributions: one score per token the model saw and the same probabilities as predict.
      const a = await m.explain!(test[0].text);
      expect(a.tokens).toEqual(test[0].text.split(' '));
      expect(a.target).toBe(test[0].label);
      a.probs.forEach((p, i) => expect(p).toBeCloseTo(probs[0][i], 5));
      // The convolution and the GRU credit a topic word over the filler "the" and "today". The
      // Transformer's layer norms make its output nearly blind to the scale of its inputs, so
      // gradient × input there is close to zero-sum and says little (see the Predict page note).
      const top = a.tokens[a.scores.indexOf(Math.max(...a.scores))];
      if (name !== 'transformer') expect(['the', 'today']).not.toContain(top);
      m.dispose();
      again.dispose();
    });
  }

  it('Transformer on WordPiece tokens: learns, saves the vocabulary once, reloads identically', async () => {
    // Whole topic words are missing from this vocabulary: the model must learn from pieces.
    const vocab = [
      '[PAD]',
      '[UNK]',
      'the',
      'today',
      'mat',
      '##ch',
      'go',
      '##al',
      'lea',
      '##gue',
      'coach',
      'season',
      'st',
      '##riker',
      'share',
      '##s',
      'market',
      'pro',
      '##fit',
      'stock',
      'investor',
      'earn',
      '##ings',
    ];
    const model = {
      type: 'transformer',
      tokenizer: 'wordpiece',
      vocab,
      maxTokens: 16,
      dim: 16,
      layers: 1,
      heads: 2,
      ffDim: 32,
      train: { epochs: 8, batchSize: 16, lr: 0.003, warmupSteps: 5, maxLen: 16 },
    };
    const m = createEstimator(parseExperimentConfig({ model }).model);
    await m.fit(toy(160), { classes: ['sports', 'business'], seed: 2 });
    const test = toy(40, 1000);
    const probs = await m.predictProba(test.map((e) => e.text));
    expect(probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === test[i].label).length).toBeGreaterThanOrEqual(38);
    const saved = await m.save();
    expect(saved.meta.words).toEqual(vocab);
    expect((saved.meta.params as { vocab?: string[] }).vocab).toBeUndefined();
    const again = loadEstimator(saved);
    expect(await again.predictProba(test.map((e) => e.text))).toEqual(probs);
    m.dispose();
    again.dispose();
  });

  it('says when a WordPiece vocabulary file was not loaded by the entry point', async () => {
    const m = createEstimator(parseExperimentConfig({ model: { type: 'transformer', tokenizer: 'wordpiece', vocabFile: 'vocab.txt' } }).model);
    await expect(m.fit(toy(8), { classes: ['a', 'b'], seed: 1 })).rejects.toThrow(/vocabFile "vocab.txt" was not read/);
  });

  it('rejects an impossible Transformer config with the field named', () => {
    expect(() => parseExperimentConfig({ model: { type: 'transformer', dim: 30, heads: 4 } })).toThrow(/model\.heads: dim must be a multiple of heads/);
  });
});
