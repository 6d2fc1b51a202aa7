/**
 * The classical family's spec: TF-IDF features under a linear head (naive Bayes, logistic
 * regression, linear SVM, SGD), fitted and run in plain TypeScript.
 */
import { ConfigError } from '../../util/errors';
import type { ModelArtifact } from '../estimator';
import { memoryEstimate, type DataScale, type ModelSpec, type ParameterEstimate, type TrainingCost } from '../spec';
import { decodeClassical } from './artifact';
import { ClassicalEstimator } from './classical-estimator';
import { classicalModelSchema, parseClassicalConfig, type ClassicalConfig, type ClassicalKind } from './config';
import { classicalTraits } from './traits';

/**
 * Features assumed for an analyzer with `maxFeatures: null` (keep all): word 1-2-grams of the
 * full 120k-row AG News come to ~1.5M distinct n-grams, char_wb 3-5-grams to ~0.6M.
 */
export const UNBOUNDED_VOCAB_FEATURES = 1_000_000;

/**
 * Penalties too weak to matter: sklearn's C = 1000 for logistic regression (100 for the hinge
 * loss), or an SGD alpha of 1e-7 (100x below sklearn's default 1e-4), fit TF-IDF features almost
 * without a penalty.
 */
export const LOGREG_C_WEAK = 1_000;
export const SVM_C_WEAK = 100;
export const SGD_ALPHA_WEAK = 1e-7;

/** A new, unfitted classical estimator of `kind` with `params` (without or with `type`). */
export function createClassical(kind: ClassicalKind, params: Record<string, unknown> = {}): ClassicalEstimator {
  if (params.type !== undefined && params.type !== kind) throw new ConfigError(`params.type "${String(params.type)}" does not match kind "${kind}"`);
  return new ClassicalEstimator(parseClassicalConfig({ ...params, type: kind }));
}

/** Rebuilds a fitted classical estimator from its artifact. */
export function loadClassical(artifact: ModelArtifact): ClassicalEstimator {
  const parts = decodeClassical(artifact);
  const e = new ClassicalEstimator(parts.config);
  e.vectorizer = parts.vectorizer;
  e.members = parts.members;
  e.classes = parts.classes;
  return e;
}

type Analyzer = { maxFeatures: number | null } | null;
const analyzerFeatures = (a: Analyzer, hashing: number): number => (a === null ? 0 : hashing > 0 ? hashing : (a.maxFeatures ?? UNBOUNDED_VOCAB_FEATURES));

function estimate(m: ClassicalConfig, data: DataScale): ParameterEstimate {
  const v = m.vectorizer;
  const features = analyzerFeatures(v.word, v.hashing) + analyzerFeatures(v.char, v.hashing);
  const capped = (v.word === null || v.word.maxFeatures !== null || v.hashing > 0) && (v.char === null || v.char.maxFeatures !== null || v.hashing > 0);
  return {
    count: features * data.classes + data.classes,
    exact: false,
    kind: m.type === 'tfidf-nb' ? 'counting' : 'linear',
    basis: `linear: ${features} TF-IDF features${capped ? '' : ' (uncapped analyzer assumed 1M)'} x ${data.classes} classes`,
  };
}

/** AG News texts average 44 word and punctuation tokens and about 240 characters (title and description). */
const WORDS_PER_TEXT = 44;
const CHARS_PER_TEXT = 240;

/**
 * A fit holds every training text as a sparse TF-IDF row (an int32 index and a float32 value per
 * distinct n-gram, about one per n-gram position) until the solver is done; predicting one text
 * is a sparse row times the class weights.
 */
function cost(m: ClassicalConfig, data: DataScale): TrainingCost {
  const v = m.vectorizer;
  const span = (a: { ngramMin: number; ngramMax: number } | null, positions: number) => (a === null ? 0 : positions * (a.ngramMax - a.ngramMin + 1));
  const nnz = span(v.word, WORDS_PER_TEXT) + span(v.char, CHARS_PER_TEXT);
  const features = analyzerFeatures(v.word, v.hashing) + analyzerFeatures(v.char, v.hashing);
  // A saved vocabulary keeps each n-gram as a JSON string (about 12 bytes with its quotes) and its idf (4 bytes); hashing keeps none.
  const vocabulary = v.hashing > 0 ? 0 : 16 * features;
  return { tokens: WORDS_PER_TEXT, forwardFlops: 2 * nnz * data.classes, updatedPerStep: 0, updatedPerExample: 0, activationBytes: 8 * nnz, savedExtraBytes: vocabulary };
}

export const classicalSpec: ModelSpec<ClassicalConfig> = {
  ...classicalTraits,
  schemas: classicalModelSchema.options,
  create: (cfg) => createClassical(cfg.type, cfg as Record<string, unknown>),
  load: loadClassical,
  estimate,
  // The weights are dense class x feature arrays; solvers keep about one more copy while fitting.
  memory: (cfg, data) => memoryEstimate(estimate(cfg, data).count, 'sgd'),
  capacity: (cfg) => (cfg.type === 'tfidf-nb' ? 'counting' : 'linear'),
  trainsOn: () => 'plain',
  predictsOn: () => 'plain',
  cost,
  guard: {
    shrink: (_cfg, data, perExample) => [`model.vectorizer.word.maxFeatures: ${Math.max(1000, Math.round((perExample * data.train) / (2 * data.classes)))}`],
    passes: (cfg) => (cfg.type === 'tfidf-sgd' && cfg.tol === null ? { epochs: cfg.epochs, field: 'model.epochs', alternatives: ['model.tol: 0.001'] } : undefined),
    weakPenalty(cfg) {
      if (cfg.type === 'tfidf-logreg' && cfg.C > LOGREG_C_WEAK)
        return {
          message: `Logistic regression with C = ${cfg.C} is almost unpenalised (C above ${LOGREG_C_WEAK}).`,
          saferAlternatives: ['model.C: 10'],
          value: cfg.C,
          threshold: LOGREG_C_WEAK,
        };
      if (cfg.type === 'tfidf-svm' && cfg.C > SVM_C_WEAK)
        return { message: `Linear SVM with C = ${cfg.C} is almost unpenalised (C above ${SVM_C_WEAK}).`, saferAlternatives: ['model.C: 0.5'], value: cfg.C, threshold: SVM_C_WEAK };
      if (cfg.type === 'tfidf-sgd' && cfg.alpha < SGD_ALPHA_WEAK)
        return {
          message: `SGD with alpha = ${cfg.alpha} is almost unpenalised (below ${SGD_ALPHA_WEAK}).`,
          saferAlternatives: ['model.alpha: 0.00002'],
          value: cfg.alpha,
          threshold: SGD_ALPHA_WEAK,
        };
      return undefined;
    },
    stepSize(cfg) {
      if (cfg.type !== 'tfidf-sgd' || cfg.learningRate === 'optimal' || cfg.eta0 <= 1) return undefined;
      return {
        message: `eta0 ${cfg.eta0} is large for ${cfg.learningRate} SGD on TF-IDF features (usual 1e-4 to 1).`,
        saferAlternatives: ["model.learningRate: 'optimal'", 'model.eta0: 0.01'],
        value: cfg.eta0,
        threshold: 1,
      };
    },
  },
};
