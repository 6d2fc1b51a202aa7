/**
 * Experiment configs: one typed default (the schema's defaults) and presets in configs/*.json
 * that override only what differs. Validated at load; every problem is reported by path.
 */
import { z } from 'zod';
import { monitorConfigSchema } from '../guard/monitor-config';
import { modelSchema } from '../models/registry';
import { ConfigError } from '../util/errors';

export const experimentSchema = z
  .object({
    name: z.string().min(1).default('experiment'),
    description: z.string().default(''),
    seed: z.number().int().min(0).default(1),
    data: z
      .object({
        /** Train on a stratified, seeded subset of this many training examples (quick runs). */
        maxTrain: z.number().int().positive().optional(),
        /** Validate on at most this many validation examples. */
        maxValidation: z.number().int().positive().optional(),
      })
      .strict()
      .prefault({}),
    model: modelSchema,
    /**
     * Knowledge distillation: learn from a finished teacher run's probabilities on the training
     * texts as well as from the labels, loss = alpha*CE + (1-alpha)*T^2*KL (train/distill-loss).
     */
    distill: z
      .object({
        /** The teacher's run id (in the terminal, its run folder). */
        teacher: z.string().min(1, 'name the teacher run'),
        alpha: z.number().min(0).max(1).default(0.5),
        temperature: z.number().positive().max(100).default(2),
      })
      .strict()
      .optional(),
    guard: z
      .object({
        /** Runs a config the pre-training checks refuse; the reason is recorded with the run. */
        override: z.object({ reason: z.string() }).strict().optional(),
        /** Live train/validation monitors: thresholds and actions (warn, halt, reduce-lr). */
        monitors: monitorConfigSchema.prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ExperimentConfig = z.output<typeof experimentSchema>;

export function parseExperimentConfig(input: unknown, source = 'config'): ExperimentConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ConfigError(`${source}: expected a JSON object`);
  const r = experimentSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new ConfigError(`${source} is not a valid experiment config: ${issues.join('; ')}`, issues);
}

export function parseConfigText(text: string, source = 'config'): ExperimentConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  return parseExperimentConfig(json, source);
}
