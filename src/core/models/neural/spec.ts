/**
 * Specs of the models trained from scratch: fastText (an embedding bag, on tensors or by its own
 * per-example SGD in plain TypeScript) and the sequence models (TextCNN, Transformer, BiGRU).
 */
import type { z } from 'zod';
import type { Estimator, ModelArtifact } from '../estimator';
import { memoryEstimate, type Compute, type DataScale, type ModelSpec, type ParameterEstimate, type TrainingCost } from '../spec';
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

/**
 * Time steps a batch of AG News texts is padded to: 44 tokens per text on average (words and
 * punctuation of title and description), and batches are length-sorted inside shuffled windows,
 * so a batch's longest text is a little above its mean.
 */
export const PADDED_TOKENS = 48;
const padded = (cap: number) => Math.min(cap, PADDED_TOKENS);

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

/** An embedding bag: a mean over word and bigram rows, then one linear layer; lazy Adam updates the rows used. */
function fastTextCost(m: FastTextConfig, data: DataScale): TrainingCost {
  const tokens = padded(Math.min(m.maxTokens, m.train.maxLen));
  const rows = m.wordNgrams === 2 ? 2 * tokens - 1 : tokens;
  const dense = m.dim * data.classes + data.classes;
  return {
    tokens,
    forwardFlops: 2 * rows * m.dim + 2 * dense,
    updatedPerStep: dense,
    // sparse-adam touches the rows of the batch; plain Adam and SGD take a dense gradient of the whole table.
    updatedPerExample: m.train.optimizer === 'sparse-adam' ? rows * m.dim : 0,
    // The gathered rows, their masked copy and sum, and the same again for their gradients.
    activationBytes: 4 * 4 * rows * m.dim,
    allocated: (vocabGuess(m.maxWords, data.train) + (m.wordNgrams === 2 ? m.buckets : 0)) * m.dim + dense,
    // Words and bigram buckets are one embedding table.
    largest: (vocabGuess(m.maxWords, data.train) + (m.wordNgrams === 2 ? m.buckets : 0)) * m.dim,
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
  cost(cfg, data) {
    const c = fastTextCost(cfg, data);
    // fastText's own SGD keeps each training text as its word and bigram ids for the whole fit.
    if (cfg.train.optimizer === 'fasttext-sgd') return { ...c, updatedPerStep: 0, updatedPerExample: 0, activationBytes: 4 * (2 * c.tokens - 1) };
    return cfg.train.optimizer === 'sparse-adam' ? c : { ...c, updatedPerStep: fastTextEstimate(cfg, data).count };
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

type SeqCaps = { maxTokens: number; train: { maxLen: number } };
const seqTokens = (m: SeqCaps) => padded(Math.min(m.maxTokens, m.train.maxLen));
/** The peak follows the longest batch, not the mean one: some AG News texts reach any cap up to 128 tokens. */
const peakTokens = (m: SeqCaps) => Math.min(m.maxTokens, m.train.maxLen);

/** Convolutions over the embedded tokens: each width w is a [w x embeddingDim] -> filters product per position. */
function textCnnCost(m: TextCnnConfig, data: DataScale): TrainingCost {
  const L = seqTokens(m);
  const conv = m.widths.reduce((n, w) => n + 2 * L * w * m.embeddingDim * m.filters, 0);
  const head = 2 * m.filters * m.widths.length * data.classes;
  return {
    tokens: L,
    forwardFlops: conv + head,
    // The embedding's gradient is dense in TF.js (a scatter into the whole table): AdamW updates every value.
    updatedPerStep: textCnnEstimate(m, data).count,
    updatedPerExample: 0,
    // Gathered, masked and padded embeddings; per width the unfolded input and the convolution,
    // bias and ReLU outputs; their gradients on the way back.
    activationBytes: 4 * (4 * L * m.embeddingDim + m.widths.reduce((n, w) => n + L * w * m.embeddingDim + 5 * L * m.filters, 0)),
    largest: embeddingRows(m, data.train) * m.embeddingDim,
  };
}

/** Pre-LN encoder layers: four d x d projections, a d x ffDim feed-forward pair, and two L x L attention products. */
function transformerCost(m: TransformerConfig, data: DataScale): TrainingCost {
  const L = seqTokens(m);
  const P = peakTokens(m);
  const d = m.dim;
  const layer = 2 * L * (4 * d * d + 2 * d * m.ffDim) + 2 * 2 * L * L * d;
  return {
    tokens: L,
    forwardFlops: m.layers * layer + 2 * d * data.classes,
    updatedPerStep: transformerEstimate(m, data).count,
    updatedPerExample: 0,
    // At the longest batch (AG News reaches maxLen): per layer and token ~120 d-wide and ~33 ffDim-wide
    // vectors, and ~13 L-long score rows per head, every op's output kept on the tape for the backward
    // pass (tf.profile peakBytes of a batch of 64 on WASM, d 64, ffDim 128: 216, 485, 1191 MB at L 32, 64, 128).
    activationBytes: 4 * (m.layers * P * (120 * d + 33 * m.ffDim + 13 * m.heads * P) + 6 * P * d),
    largest: embeddingRows(m, data.train) * d,
  };
}

/** Two GRUs over the tokens, one step per token: three gates of input and recurrent products each. */
function biGruCost(m: BiGruConfig, data: DataScale): TrainingCost {
  const L = seqTokens(m);
  const P = peakTokens(m);
  const h = m.hidden;
  return {
    tokens: L,
    forwardFlops: 2 * L * 2 * 3 * h * (m.embeddingDim + h) + 2 * 2 * h * data.classes,
    updatedPerStep: biGruEstimate(m, data).count,
    updatedPerExample: 0,
    // At the longest batch, per step and direction ~86 h-wide vectors: each gate's products, sums, sigmoids,
    // the state's mixes, all kept on the tape (tf.profile peakBytes of a batch of 64 on WASM, h 64: 93, 183 MB at L 32, 64).
    activationBytes: 4 * (2 * P * 86 * h + 3 * P * m.embeddingDim),
    largest: embeddingRows(m, data.train) * m.embeddingDim,
  };
}

/** The parts the three sequence models share: tensors everywhere, Adam-family memory, 'scratch' learning rates. */
function sequenceSpec<C extends { type: string; train: Loop }>(
  type: C['type'],
  schema: z.core.$ZodTypeDiscriminable,
  create: (cfg: C) => Estimator,
  load: (a: ModelArtifact) => Estimator,
  estimate: ModelSpec<C>['estimate'],
  cost: NonNullable<ModelSpec<C>['cost']>,
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
    cost,
  };
}

export const textCnnSpec = sequenceSpec<TextCnnConfig>(
  'textcnn',
  textCnnSchema,
  (cfg) => new TextCnn(cfg),
  (a) => TextCnn.load(a),
  textCnnEstimate,
  textCnnCost,
);
export const transformerSpec = sequenceSpec<TransformerConfig>(
  'transformer',
  transformerSchema,
  (cfg) => new Transformer(cfg),
  (a) => Transformer.load(a),
  transformerEstimate,
  transformerCost,
);
export const biGruSpec = sequenceSpec<BiGruConfig>(
  'bigru',
  biGruSchema,
  (cfg) => new BiGru(cfg),
  (a) => BiGru.load(a),
  biGruEstimate,
  biGruCost,
);
