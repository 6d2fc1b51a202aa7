/**
 * Trainable-parameter estimates from an experiment config alone, before anything is built:
 * the pre-training check needs "how much can this model memorise" without allocating it.
 * Estimates are upper bounds (vocabularies at their configured caps), and a model type this
 * file does not know is assumed to be large, so an unknown model is never waved through.
 */
import type { ExperimentConfig } from '../experiment/config';

/** BERT-base (Devlin et al. 2019), the smallest common pretrained encoder: the conservative guess. */
export const UNKNOWN_MODEL_PARAMETERS = 110_000_000;

/**
 * Features assumed for an analyzer with `maxFeatures: null` (keep all): word 1-2-grams of the
 * full 120k-row AG News come to ~1.5M distinct n-grams, char_wb 3-5-grams to ~0.6M.
 */
export const UNBOUNDED_VOCAB_FEATURES = 1_000_000;

/** How the model's capacity behaves, which decides which rules apply. */
export type CapacityKind =
  /** Counting model with smoothing (naive Bayes): cannot memorise beyond its counts. */
  | 'counting'
  /** Convex linear model with an explicit L2 penalty (C or alpha). */
  | 'linear'
  /** Trained by gradient descent for several epochs from scratch (fastText). */
  | 'neural'
  /** Unknown or pretrained model: treated as the largest. */
  | 'unknown';

export interface ParameterEstimate {
  count: number;
  /** True when counted from the config exactly (or given by the caller). */
  exact: boolean;
  kind: CapacityKind;
  /** The formula used, in words, for finding messages. */
  basis: string;
}

type Analyzer = { maxFeatures: number | null } | null;

function analyzerFeatures(a: Analyzer, hashing: number): number {
  if (a === null) return 0;
  if (hashing > 0) return hashing;
  return a.maxFeatures ?? UNBOUNDED_VOCAB_FEATURES;
}

/** Estimates trainable parameters; `given` (from a built model) wins when present. */
/**
 * Words a trained vocabulary ends up with: the cap, or about 20 distinct words per training
 * text on small data (AG News: 32k texts give ~60k words at minCount 1, ~25k at minCount 2).
 */
const vocabGuess = (maxWords: number, trainSize: number) => Math.min(maxWords, 20 * Math.max(1, trainSize));

export function estimateParameters(config: ExperimentConfig, classes: number, given?: number, trainSize = Number.POSITIVE_INFINITY): ParameterEstimate {
  const m = config.model;
  const kind: CapacityKind =
    m.type === 'tfidf-nb' ? 'counting' : m.type === 'fasttext' || m.type === 'textcnn' || m.type === 'transformer' || m.type === 'bigru' ? 'neural' : m.type.startsWith('tfidf-') ? 'linear' : 'unknown';
  if (given !== undefined && Number.isFinite(given) && given >= 0) return { count: given, exact: true, kind, basis: 'given by the caller' };

  // Sequence models with WordPiece tokens embed the whole given vocabulary, whatever the data.
  const rows = (mm: { maxWords: number; tokenizer?: string; vocab?: string[] }) => (mm.tokenizer === 'wordpiece' ? (mm.vocab?.length ?? 30522) : vocabGuess(mm.maxWords, trainSize) + 2);
  switch (m.type) {
    case 'fasttext': {
      // Input rows: kept words plus hashed bigram buckets; the output layer is dim x classes + bias.
      const words = vocabGuess(m.maxWords, trainSize);
      const rows = words + (m.wordNgrams === 2 ? m.buckets : 0);
      return {
        count: rows * m.dim + m.dim * classes + classes,
        exact: false,
        kind,
        basis: `fastText: (~${words} words${m.wordNgrams === 2 ? ` + ${m.buckets} bigram buckets` : ''}) x dim ${m.dim} + dim x ${classes} classes`,
      };
    }
    case 'textcnn': {
      const v = rows(m);
      const conv = m.widths.reduce((n, w) => n + w * m.embeddingDim * m.filters + m.filters, 0);
      return {
        count: v * m.embeddingDim + conv + m.filters * m.widths.length * classes + classes,
        exact: false,
        kind,
        basis: `TextCNN: ~${v} words x ${m.embeddingDim} + convolutions ${m.widths.join('/')} x ${m.filters} filters + output`,
      };
    }
    case 'transformer': {
      const v = rows(m);
      const d = m.dim;
      const layer = 4 * (d * d + d) + 2 * d * m.ffDim + m.ffDim + d + 4 * d;
      return {
        count: (v + m.maxTokens) * d + m.layers * layer + 2 * d + d * classes + classes,
        exact: false,
        kind,
        basis: `Transformer: ~${v} words + ${m.maxTokens} positions x ${d}, ${m.layers} layers of ${layer} parameters, output`,
      };
    }
    case 'bigru': {
      const v = rows(m);
      // Per direction: three gates, each with input and recurrent weights and a bias pair.
      const dir = 3 * m.hidden * (m.embeddingDim + m.hidden) + 6 * m.hidden;
      return {
        count: v * m.embeddingDim + 2 * dir + 2 * m.hidden * classes + classes,
        exact: false,
        kind,
        basis: `BiGRU: ~${v} words x ${m.embeddingDim} + 2 directions of ${dir} parameters + output`,
      };
    }
    case 'tfidf-nb':
    case 'tfidf-logreg':
    case 'tfidf-svm':
    case 'tfidf-sgd': {
      const v = m.vectorizer;
      const features = analyzerFeatures(v.word, v.hashing) + analyzerFeatures(v.char, v.hashing);
      const capped = (v.word === null || v.word.maxFeatures !== null || v.hashing > 0) && (v.char === null || v.char.maxFeatures !== null || v.hashing > 0);
      return {
        count: features * classes + classes,
        exact: false,
        kind,
        basis: `linear: ${features} TF-IDF features${capped ? '' : ' (uncapped analyzer assumed 1M)'} x ${classes} classes`,
      };
    }
    default: {
      const raw = m as Record<string, unknown>;
      if (typeof raw.parameterCount === 'number') return { count: raw.parameterCount, exact: true, kind, basis: 'model.parameterCount' };
      return { count: UNKNOWN_MODEL_PARAMETERS, exact: false, kind, basis: `unknown model type "${String(raw.type)}": assumed BERT-base size` };
    }
  }
}

/** Reads a field that newer model configs may carry (dropout, weightDecay, lora...): model.X, then model.train.X. */
export function modelField(config: ExperimentConfig, name: string): unknown {
  const m = config.model as Record<string, unknown>;
  if (m[name] !== undefined) return m[name];
  const train = m.train as Record<string, unknown> | undefined;
  return train && typeof train === 'object' ? train[name] : undefined;
}

/** The training loop settings of a neural config, when it has one. */
export function loopOf(config: ExperimentConfig): { epochs: number; lr: number; optimizer: string; labelSmoothing?: number } | undefined {
  const t = (config.model as Record<string, unknown>).train as Record<string, unknown> | undefined;
  if (!t || typeof t !== 'object' || typeof t.epochs !== 'number' || typeof t.lr !== 'number') return undefined;
  return { epochs: t.epochs, lr: t.lr, optimizer: String(t.optimizer ?? 'adam'), labelSmoothing: typeof t.labelSmoothing === 'number' ? t.labelSmoothing : undefined };
}
