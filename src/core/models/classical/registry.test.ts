import { describe, expect, it } from 'vitest';
import { createClassical, parseClassicalConfig } from './registry';
import { ConfigError } from '../../util/errors';
import { gridSearch, expandGrid } from './grid-search';
import { TOY_CLASSES, toyExamples } from './fixtures';
import { CancelledError } from '../../util/errors';

describe('classical registry', () => {
  it('fills defaults per type', () => {
    const c = parseClassicalConfig({ type: 'tfidf-svm' });
    expect(c).toMatchObject({ type: 'tfidf-svm', C: 0.5, calibration: { method: 'sigmoid', cv: 3, ensemble: true }, classWeight: null });
    expect(c.vectorizer.word?.ngramMax).toBe(2);
    expect(parseClassicalConfig({ type: 'tfidf-nb' })).toMatchObject({ alpha: 0.05, complement: false });
  });

  it('rejects unknown fields and bad values with clear messages', () => {
    expect(() => parseClassicalConfig({ type: 'tfidf-nb', C: 1 })).toThrow(ConfigError);
    expect(() => parseClassicalConfig({ type: 'tfidf-nb', C: 1 })).toThrow(/Unrecognized key.*"C"/);
    expect(() => parseClassicalConfig({ type: 'tfidf-logreg', C: -1 })).toThrow(/C:/);
    expect(() => parseClassicalConfig({ type: 'tfidf-rf' })).toThrow(/type/);
    expect(() => parseClassicalConfig({ type: 'tfidf-sgd', vectorizer: { word: { ngramMin: 3, ngramMax: 2 } } })).toThrow(/ngramMin/);
    expect(() => createClassical('tfidf-nb', { type: 'tfidf-svm' })).toThrow(/does not match/);
  });
});

describe('gridSearch', () => {
  const train = toyExamples(10);
  const validation = toyExamples(4, 10);
  it('scores every grid point on validation and returns the best', async () => {
    expect(expandGrid({ a: [1, 2], b: ['x', 'y'] })).toHaveLength(4);
    const events: string[] = [];
    const r = await gridSearch((p) => createClassical('tfidf-nb', p), { alpha: [0.01, 1000] }, train, validation, {
      classes: TOY_CLASSES,
      seed: 1,
      metric: 'macroF1',
      onEvent: (e) => e.type === 'phase' && events.push(`${e.done}/${e.total}`),
    });
    expect(r.results).toHaveLength(2);
    expect(r.best.params).toEqual({ alpha: 0.01 });
    expect(r.best.score).toBe(r.best.macroF1);
    expect(events).toEqual(['0/2', '1/2', '2/2']);
  });
  it('is cancellable', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(gridSearch((p) => createClassical('tfidf-nb', p), { alpha: [1] }, train, validation, { classes: TOY_CLASSES, seed: 1, signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
