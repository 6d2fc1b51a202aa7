import { z } from 'zod';
import { loopSchema } from '../../train/loop-config';

export const fastTextSchema = z
  .object({
    type: z.literal('fasttext'),
    dim: z.number().int().min(2).max(1024).default(32),
    minCount: z.number().int().min(1).default(1),
    maxWords: z.number().int().min(1).default(200_000),
    /** Hashed word-bigram rows (fastText's -bucket). */
    buckets: z.number().int().min(1).default(100_000),
    wordNgrams: z.union([z.literal(1), z.literal(2)]).default(2),
    maxTokens: z.number().int().min(1).default(256),
    train: loopSchema({ optimizer: 'sparse-adam', lr: 0.02, maxLen: 512 }),
  })
  .strict();

export type FastTextConfig = z.output<typeof fastTextSchema>;
