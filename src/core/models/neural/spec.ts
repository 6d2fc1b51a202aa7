/**
 * Specs of the models trained from scratch: fastText (an embedding bag, on tensors or by its own
 * per-example SGD in plain TypeScript) and the sequence models (TextCNN, Transformer, BiGRU).
 */
import type { z } from 'zod';
import type { Estimator, ModelArtifact } from '../estimator';
import { memoryEstimate, type Compute, type DataScale, type ModelSpec, type ParameterEstimate } from '../spec';
import { BiGru } from './bigru';
import { biGruSchema, fastTextSchema, textCnnSchema, transformerSchema, type BiGruConfig, type FastTextConfig, type TextCnnConfig, type TransformerConfig } from './config';
import { FastText } from './fasttext';
import { TextCnn } from './textcnn';
import { neuralTraits } from './traits';
import { Transformer } from './transformer';

/**
 * Words a trained vocabulary ends up with: the cap, or about 20 distinct words per training
 * text on small data (AG News: 32k texts give ~60k words at minCount 1, ~25k at minCount 2).
 */
export const vocabGuess = (maxWords: number, trainSize: number) => Math.min(maxWords, 20 * Math.max(1, trainSize));

/**
 * Tokens per training text assumed before the data is read: AG News' title plus description
 * average 38 whitespace tokens (measured on the shared 32,283-row train file).
 */
export const TOKENS_PER_TEXT = 40;

/**
 * Hashed bigram rows the training data can touch. A row no training bigram hashes to keeps its
 * initial value and fits nothing, so it is no capacity. At most one new bigram per token, thrown
 * into `buckets` at random: the expected number of distinct buckets hit is B(1 - e^(-n/B)).
 */
export function touchedBuckets(buckets: number, trainSize: number, maxTokens: number): number {
  if (!Number.isFinite(trainSize)) return buckets;
  const bigrams = Math.max(1, trainSize) * Math.max(1, Math.min(maxTokens, TOKENS_PER_TEXT) - 1);
  return Math.round(buckets * (1 - Math.exp(-bigrams / buckets)));
}

type Loop = { optimizer: string; schedule: string };
const optimizerMemory = (t: Loop) => (t.optimizer === 'fasttext-sgd' ? 'none' : t.optimizer === 'sgd' ? 'sgd' : 'adam');
const decays = (t: Loop) => t.schedule !== 'constant';
const tensors = (): Compute => 'tensors';

function fastTextEstimate(m: FastTextConfig, data: DataScale): ParameterEstimate {
  // Input rows: kept words plus the hashed bigram buckets the data reaches; output dim x classes + bias.
  const words = vocabGuess(m.maxWords, data.train);
  const buckets = m.wordNgrams === 2 ? touchedBuckets(m.buckets, data.train, m.maxTokens) : 0;
  const rows = words + buckets;
  const reach = buckets < m.buckets ? ` (of ${m.buckets}) the training bigrams can reach` : '';
  return {
    count: rows * m.dim + m.dim * data.classes + data.classes,
    exact: false,
    kind: 'neural',
    basis: `fastText: (~${words} words${m.wordNgrams === 2 ? ` + ${buckets} bigram buckets${reach}` : ''}) x dim ${m.dim} + dim x ${data.classes} classes`,
  };
}

export const fastTextSpec: ModelSpec<FastTextConfig> = {
  ...neuralTraits,
  types: ['fasttext'],
  schemas: [fastTextSchema],
  create: ({ dim, minCount, maxWords, buckets, wordNgrams, maxTokens, tokenizer, order, train }) =>
    new FastText({ dim, minCount, maxWords, buckets, wordNgrams, maxTokens, tokenizer, order, loop: train }),
  load: (a) => FastText.load(a),
  estimate: fastTextEstimate,
  memory: (cfg, data) => memoryEstimate(fastTextEstimate(cfg, data).count, optimizerMemory(cfg.train)),
  capacity: () => 'neural',
  // fastText's own SGD is plain TypeScript: no tensor backend to fit, load or predict.
  trainsOn: (cfg) => (cfg.train.optimizer === 'fasttext-sgd' ? 'plain' : 'tensors'),
  predictsOn: (a: ModelArtifact) => ((a.meta.params as { loop?: { optimizer?: string } } | undefined)?.loop?.optimizer === 'fasttext-sgd' ? 'plain' : 'tensors'),
  guard: {
    shrink(cfg, data, perExample) {
      const rows = cfg.maxWords + (cfg.wordNgrams === 2 ? cfg.buckets : 0);
      return [
        `model.dim: ${Math.max(2, Math.min(cfg.dim, Math.floor((perExample * data.train) / rows)))}`,
        `model.buckets: ${Math.max(1, Math.min(cfg.buckets, 10 * data.train))}`,
        `model.maxWords: ${Math.max(1, Math.min(cfg.maxWords, 5 * data.train))}`,
      ];
    },
    lrFamily: 'embedding-bag',
    // fasttext-sgd decays linearly to zero over the tokens of all epochs, whatever `schedule` says.
    lrDecaysToZero: (cfg) => cfg.train.optimizer === 'fasttext-sgd' || decays(cfg.train),
  },
};

/** Embedding rows of a sequence model: WordPiece embeds its whole vocabulary, words what the data gives. */
const embeddingRows = (m: { maxWords: number; tokenizer?: string; vocab?: string[] }, train: number) =>
  m.tokenizer === 'wordpiece' ? (m.vocab?.length ?? 30522) : vocabGuess(m.maxWords, train) + 2;

function textCnnEstimate(m: TextCnnConfig, data: DataScale): ParameterEstimate {
  const v = embeddingRows(m, data.train);
  const conv = m.widths.reduce((n, w) => n + w * m.embeddingDim * m.filters + m.filters, 0);
  return {
    count: v * m.embeddingDim + conv + m.filters * m.widths.length * data.classes + data.classes,
    exact: false,
    kind: 'neural',
    basis: `TextCNN: ~${v} words x ${m.embeddingDim} + convolutions ${m.widths.join('/')} x ${m.filters} filters + output`,
  };
}

function transformerEstimate(m: TransformerConfig, data: DataScale): ParameterEstimate {
  const v = embeddingRows(m, data.train);
  const d = m.dim;
  const layer = 4 * (d * d + d) + 2 * d * m.ffDim + m.ffDim + d + 4 * d;
  return {
    count: (v + m.maxTokens) * d + m.layers * layer + 2 * d + d * data.classes + data.classes,
    exact: false,
    kind: 'neural',
    basis: `Transformer: ~${v} words + ${m.maxTokens} positions x ${d}, ${m.layers} layers of ${layer} parameters, output`,
  };
}

function biGruEstimate(m: BiGruConfig, data: DataScale): ParameterEstimate {
  const v = embeddingRows(m, data.train);
  // Per direction: three gates, each with input and recurrent weights and a bias pair.
  const dir = 3 * m.hidden * (m.embeddingDim + m.hidden) + 6 * m.hidden;
  return {
    count: v * m.embeddingDim + 2 * dir + 2 * m.hidden * data.classes + data.classes,
    exact: false,
    kind: 'neural',
    basis: `BiGRU: ~${v} words x ${m.embeddingDim} + 2 directions of ${dir} parameters + output`,
  };
}

/** The parts the three sequence models share: tensors everywhere, Adam-family memory, 'scratch' learning rates. */
function sequenceSpec<C extends { type: string; train: Loop }>(
  type: C['type'],
  schema: z.core.$ZodTypeDiscriminable,
  create: (cfg: C) => Estimator,
  load: (a: ModelArtifact) => Estimator,
  estimate: ModelSpec<C>['estimate'],
): ModelSpec<C> {
  return {
    ...neuralTraits,
    types: [type],
    schemas: [schema],
    create,
    load,
    estimate,
    memory: (cfg, data) => memoryEstimate(estimate(cfg, data).count, optimizerMemory(cfg.train)),
    capacity: () => 'neural',
    trainsOn: tensors,
    predictsOn: tensors,
    guard: { lrFamily: 'scratch', lrDecaysToZero: (cfg) => decays(cfg.train) },
  };
}

export const textCnnSpec = sequenceSpec<TextCnnConfig>(
  'textcnn',
  textCnnSchema,
  (cfg) => new TextCnn(cfg),
  (a) => TextCnn.load(a),
  textCnnEstimate,
);
export const transformerSpec = sequenceSpec<TransformerConfig>(
  'transformer',
  transformerSchema,
  (cfg) => new Transformer(cfg),
  (a) => Transformer.load(a),
  transformerEstimate,
);
export const biGruSpec = sequenceSpec<BiGruConfig>(
  'bigru',
  biGruSchema,
  (cfg) => new BiGru(cfg),
  (a) => BiGru.load(a),
  biGruEstimate,
);
