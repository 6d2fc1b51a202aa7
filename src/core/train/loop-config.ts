import { z } from 'zod';

/** Training-loop settings shared by every TF.js model; defaults suit a small model from scratch. */
export const loopSchema = z
  .object({
    epochs: z.number().int().min(1).max(1000).default(5),
    batchSize: z.number().int().min(1).max(8192).default(64),
    lr: z.number().positive().max(10).default(0.01),
    /**
     * adam; sgd (momentum 0.9); sparse-sgd: plain SGD that updates only the embedding rows a
     * batch touches (fastText's update), for models that provide it.
     */
    optimizer: z.enum(['adam', 'sgd', 'sparse-sgd']).default('adam'),
    schedule: z.enum(['constant', 'linear', 'cosine']).default('linear'),
    warmupSteps: z.number().int().min(0).default(0),
    /** Gradient clipping by global norm; 0 turns it off. */
    clipNorm: z.number().min(0).default(0),
    labelSmoothing: z.number().min(0).max(0.5).default(0),
    /** Longest sequence fed to the model (ids after truncation). */
    maxLen: z.number().int().min(1).max(4096).default(256),
    /** Steps between progress events (each one reads the running loss back from the device). */
    logEvery: z.number().int().min(1).default(20),
  })
  .strict();
