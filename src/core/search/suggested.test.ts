// The test reads the shipped presets; that file read is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSearch } from '../lab/search-lab';
import { suggestedSpace } from './suggested';

const presets = readdirSync('configs')
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(`configs/${f}`, 'utf8'))] as const);

describe('suggested search spaces', () => {
  it.each(presets)('%s gets a space whose every value makes a valid config', (_name, config) => {
    const space = suggestedSpace(config);
    expect(space).toBeDefined();
    expect(() => checkSearch({ datasetId: '', config, space, trials: 10 })).not.toThrow();
  });

  it('centres the learning rate on the config’s own', () => {
    expect(suggestedSpace({ model: { type: 'textcnn', train: { lr: 0.004 } } })!['model.train.lr']).toEqual({ low: 0.0004, high: 0.04, log: true });
    expect(suggestedSpace({ model: { type: 'fasttext', train: { optimizer: 'fasttext-sgd', lr: 0.5 } } })).not.toHaveProperty(['model.train.batchSize']);
    expect(suggestedSpace({ model: { type: 'ensemble' } })).toBeUndefined();
  });
});
