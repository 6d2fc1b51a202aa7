import { z } from 'zod';
import { techniquesSchema } from './techniques/config';

/** The training loop's settings; the defaults suit a small model trained from scratch. */
export const LOOP_DEFAULTS = {
  epochs: 5,
  batchSize: 64,
  lr: 0.01,
  optimizer: 'adam' as 'adam' | 'adamw' | 'sgd' | 'sparse-adam' | 'fasttext-sgd',
  weightDecay: 0,
  schedule: 'linear' as 'constant' | 'linear' | 'cosine',
  warmupSteps: 0,
  clipNorm: 0,
  accumulate: 1,
  labelSmoothing: 0,
  maxLen: 256,
  logEvery: 20,
  evalEvery: 0,
  checkpointEvery: 0,
  earlyStopping: null as null | { metric: 'val_loss' | 'val_accuracy' | 'val_macroF1'; patience: number; minDelta: number; restoreBest: boolean },
};

export const earlyStoppingSchema = z
  .object({
    metric: z.enum(['val_loss', 'val_accuracy', 'val_macroF1']).default('val_loss'),
    /** Evaluations without improvement before stopping. */
    patience: z.number().int().min(1).default(2),
    minDelta: z.number().min(0).default(0),
    /** Put the best weights back when training stops. */
    restoreBest: z.boolean().default(true),
  })
  .strict();

/** The loop's fields with a family's defaults; a family that runs its own loop (pretrained) picks the ones it honours. */
export function loopFields(overrides: Partial<typeof LOOP_DEFAULTS> = {}) {
  const d = { ...LOOP_DEFAULTS, ...overrides };
  return {
    epochs: z.number().int().min(1).max(1000).default(d.epochs),
    batchSize: z.number().int().min(1).max(8192).default(d.batchSize),
    lr: z.number().positive().max(10).default(d.lr),
    /**
     * adam; adamw (decoupled weight decay); sgd (momentum 0.9, L2 weight decay); sparse-adam:
     * Adam that updates only the embedding rows a batch touches (lazy Adam), for models that
     * provide it (fasttext); fasttext-sgd: fastText's own per-example SGD in plain TypeScript on
     * the CPU (fasttext only; no tensor backend, no mid-epoch checkpoints: it takes seconds).
     */
    optimizer: z.enum(['adam', 'adamw', 'sgd', 'sparse-adam', 'fasttext-sgd']).default(d.optimizer),
    weightDecay: z.number().min(0).max(1).default(d.weightDecay),
    schedule: z.enum(['constant', 'linear', 'cosine']).default(d.schedule),
    warmupSteps: z.number().int().min(0).default(d.warmupSteps),
    /** Gradient clipping by global norm; 0 turns it off. */
    clipNorm: z.number().min(0).default(d.clipNorm),
    /** Batches whose gradients are summed before one optimizer step. */
    accumulate: z.number().int().min(1).max(1024).default(d.accumulate),
    labelSmoothing: z.number().min(0).max(0.5).default(d.labelSmoothing),
    /** Longest sequence fed to the model (ids after truncation). */
    maxLen: z.number().int().min(1).max(4096).default(d.maxLen),
    /** Steps between progress events (each one reads the running loss back from the device). */
    logEvery: z.number().int().min(1).default(d.logEvery),
    /** Validate every N steps as well as at each epoch end; 0 = epoch ends only. */
    evalEvery: z.number().int().min(0).default(d.evalEvery),
    /** Steps between resumable checkpoints; 0 = epoch ends only. */
    checkpointEvery: z.number().int().min(0).default(d.checkpointEvery),
    earlyStopping: earlyStoppingSchema.nullable().default(d.earlyStopping),
    /** Adversarial training, R-Drop, mixup, focal loss, class weights, curriculum: all off by default (techniques/config.ts). */
    techniques: techniquesSchema,
  };
}

/** The loop schema with a model family's own defaults (a small diff of LOOP_DEFAULTS). */
export function loopSchema(overrides: Partial<typeof LOOP_DEFAULTS> = {}) {
  return z.object(loopFields(overrides)).strict().prefault({});
}

export type LoopConfig = z.output<ReturnType<typeof loopSchema>>;
