import { describe, expect, it } from 'vitest';
import { parseClassicalConfig } from './config';
import { createClassical } from './spec';
import { ConfigError } from '../../util/errors';

describe('classical configs and factory', () => {
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
