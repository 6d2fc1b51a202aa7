import { z } from 'zod';

/** The training loop's settings; the defaults suit a small model trained from scratch. */
export const LOOP_DEFAULTS = {
  epochs: 5,
  batchSize: 64,
  lr: 0.01,
  optimizer: 'adam' as 'adam' | 'sgd' | 'sparse-adam',
  schedule: 'linear' as 'constant' | 'linear' | 'cosine',
  warmupSteps: 0,
  clipNorm: 0,
  labelSmoothing: 0,
  maxLen: 256,
  logEvery: 20,
};

/** The loop schema with a model family's own defaults (a small diff of LOOP_DEFAULTS). */
export function loopSchema(overrides: Partial<typeof LOOP_DEFAULTS> = {}) {
  const d = { ...LOOP_DEFAULTS, ...overrides };
  return z
    .object({
      epochs: z.number().int().min(1).max(1000).default(d.epochs),
      batchSize: z.number().int().min(1).max(8192).default(d.batchSize),
      lr: z.number().positive().max(10).default(d.lr),
      /**
       * adam; sgd (momentum 0.9); sparse-adam: Adam that updates only the embedding rows a batch
       * touches (lazy Adam), for models that provide it (fasttext).
       */
      optimizer: z.enum(['adam', 'sgd', 'sparse-adam']).default(d.optimizer),
      schedule: z.enum(['constant', 'linear', 'cosine']).default(d.schedule),
      warmupSteps: z.number().int().min(0).default(d.warmupSteps),
      /** Gradient clipping by global norm; 0 turns it off. */
      clipNorm: z.number().min(0).default(d.clipNorm),
      labelSmoothing: z.number().min(0).max(0.5).default(d.labelSmoothing),
      /** Longest sequence fed to the model (ids after truncation). */
      maxLen: z.number().int().min(1).max(4096).default(d.maxLen),
      /** Steps between progress events (each one reads the running loss back from the device). */
      logEvery: z.number().int().min(1).default(d.logEvery),
    })
    .strict()
    .prefault({});
}
