/** What the page may know about the classical family without loading its solvers. */
import type { ModelTraits } from '../spec';

export const classicalTraits = {
  family: 'classical',
  types: ['tfidf-nb', 'tfidf-logreg', 'tfidf-svm', 'tfidf-sgd'],
  capabilities: { explain: false, topFeatures: true, calibration: true, softTargets: false, gridSearch: true },
  // A few points around each preset's default, cheap enough to fit in a minute on AG News.
  suggestedGrid: {
    'tfidf-nb': { alpha: [0.01, 0.03, 0.1, 0.3, 1] },
    'tfidf-logreg': { C: [1, 4, 16] },
    'tfidf-svm': { C: [0.25, 0.5, 1] },
    'tfidf-sgd': { alpha: [0.00001, 0.00003, 0.0001] },
  },
} as const satisfies ModelTraits;
