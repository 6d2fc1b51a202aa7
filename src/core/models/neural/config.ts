import { z } from 'zod';
import { loopSchema } from '../../train/loop-config';

export const fastTextSchema = z
  .object({
    type: z.literal('fasttext'),
    dim: z.number().int().min(2).max(1024).default(32),
    minCount: z.number().int().min(1).default(1),
    maxWords: z.number().int().min(1).default(200_000),
    /** Hashed word-bigram rows (fastText's -bucket). */
    // 1e7 buckets × dim 32 is 1.3 GB of float32 already: beyond that a table would not fit in memory.
    buckets: z.number().int().min(1).max(10_000_000, 'buckets above 10,000,000 would not fit in memory (buckets × dim floats)').default(100_000),
    wordNgrams: z.union([z.literal(1), z.literal(2)]).default(2),
    tokenizer: z.enum(['words', 'fasttext']).default('words'),
    maxTokens: z.number().int().min(1).default(256),
    /**
     * Example order of the fasttext-sgd trainer: 'file' reads the training data in its given
     * order every epoch, as fastText reads its input file (right for a file already in random
     * order, wrong for one sorted by class); 'shuffle' draws a seeded order each epoch.
     */
    order: z.enum(['file', 'shuffle']).default('shuffle'),
    train: loopSchema({ optimizer: 'sparse-adam', lr: 0.02, maxLen: 512 }),
  })
  .strict();

export type FastTextConfig = z.output<typeof fastTextSchema>;

const sequenceCommon = {
  minCount: z.number().int().min(1).default(2),
  maxWords: z.number().int().min(1).default(50_000),
  /** Tokens kept per text (AG News texts average about 40 words). */
  maxTokens: z.number().int().min(8).max(1024).default(128),
  /** 'words': a vocabulary of the training words; 'wordpiece': BERT's uncased WordPiece over a given vocabulary. */
  tokenizer: z.enum(['words', 'wordpiece']).default('words'),
  /** A BERT vocab.txt for 'wordpiece', read by the entry point (CLI, bench) into `vocab`. */
  vocabFile: z.string().optional(),
  /** The WordPiece vocabulary in id order (vocab.txt's lines). */
  vocab: z.array(z.string()).optional(),
};

export const textCnnSchema = z
  .object({
    type: z.literal('textcnn'),
    ...sequenceCommon,
    embeddingDim: z.number().int().min(4).max(1024).default(64),
    filters: z.number().int().min(1).max(1024).default(64),
    widths: z.array(z.number().int().min(1).max(10)).min(1).default([3, 4, 5]),
    dropout: z.number().min(0).max(0.9).default(0.5),
    train: loopSchema({ epochs: 3, lr: 0.002, optimizer: 'adamw', weightDecay: 0.01, maxLen: 128, clipNorm: 5 }),
  })
  .strict();

export const transformerSchema = z
  .object({
    type: z.literal('transformer'),
    ...sequenceCommon,
    dim: z.number().int().min(8).max(1024).default(64),
    layers: z.number().int().min(1).max(12).default(2),
    heads: z.number().int().min(1).max(16).default(4),
    ffDim: z.number().int().min(8).max(4096).default(128),
    dropout: z.number().min(0).max(0.9).default(0.1),
    train: loopSchema({ epochs: 3, lr: 0.001, optimizer: 'adamw', weightDecay: 0.01, warmupSteps: 100, schedule: 'cosine', clipNorm: 1, maxLen: 128 }),
  })
  .strict()
  .refine((c) => c.dim % c.heads === 0, { message: 'dim must be a multiple of heads', path: ['heads'] })
  .refine((c) => c.train.maxLen <= c.maxTokens, { message: 'train.maxLen cannot exceed maxTokens (the learned positions)', path: ['train', 'maxLen'] });

export const biGruSchema = z
  .object({
    type: z.literal('bigru'),
    ...sequenceCommon,
    embeddingDim: z.number().int().min(4).max(1024).default(64),
    /** State size of each direction; the classifier sees both, 2 × hidden. */
    hidden: z.number().int().min(2).max(1024).default(64),
    dropout: z.number().min(0).max(0.9).default(0.3),
    // Every token is one sequential step: a shorter cap than the other models keeps epochs short.
    train: loopSchema({ epochs: 3, lr: 0.003, optimizer: 'adamw', weightDecay: 0.01, maxLen: 64, clipNorm: 5 }),
  })
  .strict();

export type TextCnnConfig = z.output<typeof textCnnSchema>;
export type BiGruConfig = z.output<typeof biGruSchema>;
export type TransformerConfig = z.output<typeof transformerSchema>;
