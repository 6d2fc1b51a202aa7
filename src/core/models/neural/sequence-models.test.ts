import { describe, expect, it } from 'vitest';
import { toyTopics } from './toy-data';
import { parseExperimentConfig } from '../../experiment/config';
import { createEstimator, loadEstimator } from '../registry';

const toy = toyTopics;

const MODELS = {
  textcnn: { type: 'textcnn', minCount: 1, embeddingDim: 16, filters: 8, widths: [2, 3], train: { epochs: 6, batchSize: 16, lr: 0.01 } },
  transformer: { type: 'transformer', minCount: 1, maxTokens: 16, dim: 16, layers: 1, heads: 2, ffDim: 32, train: { epochs: 8, batchSize: 16, lr: 0.003, warmupSteps: 5, maxLen: 16 } },
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
      m.dispose();
      again.dispose();
    });
  }

  it('rejects an impossible Transformer config with the field named', () => {
    expect(() => parseExperimentConfig({ model: { type: 'transformer', dim: 30, heads: 4 } })).toThrow(/model\.heads: dim must be a multiple of heads/);
  });
});
