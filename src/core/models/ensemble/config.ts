/**
 * An ensemble's config: the member runs it combines (by run id), how, and what is fitted on
 * validation. It has no hyper-parameters of its own to train; everything it fits happens in the
 * guard's `ensemble-weighting` phase.
 */
import { z } from 'zod';
import { ENSEMBLE_CALIBRATIONS, ENSEMBLE_METHODS } from './combiner';

export const ENSEMBLE_KIND = 'ensemble';

export const ensembleSchema = z
  .object({
    type: z.literal(ENSEMBLE_KIND),
    method: z.enum(ENSEMBLE_METHODS),
    /** Run ids of the members, at least two. */
    members: z.array(z.string().min(1)).min(2),
    /** Caruana selection on validation; `size` prunes to that many distinct members. */
    select: z
      .object({
        size: z.number().int().min(1).optional(),
        iterations: z.number().int().min(1).max(1000).default(50),
        metric: z.enum(['logloss', 'accuracy']).default('logloss'),
      })
      .strict()
      .optional(),
    calibrate: z.enum(ENSEMBLE_CALIBRATIONS).optional(),
    /** Stacking: folds of the k-fold re-fits that give the out-of-fold probabilities. */
    folds: z.number().int().min(2).max(20).default(5),
    /** Blending: share of validation the meta-learner is fitted on. */
    blendFitShare: z.number().gt(0).lt(1).default(0.5),
    /** The meta-learner's inverse L2 penalty (scikit-learn's C). */
    C: z.number().positive().default(1),
  })
  .strict();

export type EnsembleConfig = z.output<typeof ensembleSchema>;

export function parseEnsembleConfig(raw: unknown): EnsembleConfig {
  return ensembleSchema.parse(raw);
}

/** How a member run is referenced from the ensemble's artifact (the lab's resolver reads it). */
export const runRef = (runId: string) => ({ uri: `run:${runId}` });

export const CASCADE_KIND = 'cascade';

export const cascadeSchema = z
  .object({
    type: z.literal(CASCADE_KIND),
    /** Run ids from the cheapest to the strongest, at least two. */
    members: z.array(z.string().min(1)).min(2),
    /** What the thresholds are chosen for on validation: keep this share of the strongest's accuracy, or escalate at most this share of texts. */
    target: z
      .union([z.object({ keepAccuracy: z.number().gt(0).max(1) }).strict(), z.object({ maxEscalation: z.number().min(0).max(1) }).strict()])
      .default({ keepAccuracy: 0.995 }),
    /** Each member's measured seconds per 1,000 texts (from its run's efficiency record), in member order. */
    secondsPer1000: z.array(z.number().min(0)),
  })
  .strict()
  .refine((c) => c.secondsPer1000.length === c.members.length, { message: 'secondsPer1000 needs one cost per member' });

export type CascadeConfig = z.output<typeof cascadeSchema>;
