/**
 * A cost-sensitive score for when some topics or some mistakes matter more than others
 * (e.g. missing World news is worse than missing Sports; filing Business under Sci/Tech
 * misroutes it to the wrong desk). Defined by a small validated config:
 *
 *   { "weights": { "recall": { "World": 2 }, "f1": { "Sports": 1, "Business": 1 } },
 *     "criticalConfusions": [{ "from": "Business", "to": "Sci/Tech", "penalty": 0.5 }] }
 *
 * Formula, with m in {precision, recall, f1}, c a class, w_{m,c} >= 0 (absent = 0):
 *
 *   weighted = sum_{m,c} w_{m,c} * m_c  /  sum_{m,c} w_{m,c}          (in [0, 1])
 *   rate_j   = #(true = from_j, predicted = to_j) / #(true = from_j)  (0 when from_j is absent)
 *   score    = weighted * prod_j exp(-penalty_j * rate_j)
 *
 * The rate is per example of the `from` class, so a penalty means the same thing whatever
 * the class balance of the evaluation set. The exponential keeps the score in [0, 1] and
 * makes a penalty of p cost a factor exp(-p) when every `from` example is misfiled.
 */
import { z } from 'zod';
import { ConfigError } from '../util/errors';
import type { ClassScores } from './metrics';
import { confusionMatrix, perClassFromConfusion } from './metrics';

const classWeights = z.record(z.string().min(1), z.number().finite().min(0));

export const customScoreSchema = z
  .object({
    name: z.string().min(1).default('custom'),
    weights: z
      .object({ precision: classWeights.optional(), recall: classWeights.optional(), f1: classWeights.optional() })
      .strict()
      .refine((w) => Object.values(w).some((r) => r && Object.values(r).some((v) => v > 0)), { message: 'at least one weight must be positive' }),
    criticalConfusions: z.array(z.object({ from: z.string().min(1), to: z.string().min(1), penalty: z.number().finite().min(0) }).strict()).default([]),
  })
  .strict();

export type CustomScoreConfig = z.output<typeof customScoreSchema>;
export type CustomScoreInput = z.input<typeof customScoreSchema>;

export type ScoredMetric = 'precision' | 'recall' | 'f1';

export interface CustomScoreResult {
  name: string;
  score: number;
  /** The weighted average before penalties. */
  weighted: number;
  /** Product of the confusion factors (1 = no penalty). */
  penaltyFactor: number;
  terms: { metric: ScoredMetric; class: string; weight: number; value: number }[];
  confusions: { from: string; to: string; penalty: number; count: number; rate: number; factor: number }[];
}

/** Validates a config (from JSON) and reports every problem by path. */
export function parseCustomScoreConfig(input: unknown, source = 'custom score config'): CustomScoreConfig {
  const r = customScoreSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new ConfigError(`${source} is not valid: ${issues.join('; ')}`, issues);
}

/** Class names are checked here, not in the schema, because the schema does not know the label set. */
function classIndex(classes: string[], name: string, field: string): number {
  const i = classes.indexOf(name);
  if (i < 0) throw new ConfigError(`custom score: ${field} names unknown class "${name}" (classes: ${classes.join(', ')})`, [field]);
  return i;
}

/** The score from a confusion matrix (rows true, columns predicted). */
export function customScoreFromConfusion(cm: number[][], classes: string[], config: CustomScoreConfig): CustomScoreResult {
  const pc: ClassScores[] = perClassFromConfusion(cm);
  const terms: CustomScoreResult['terms'] = [];
  let num = 0;
  let den = 0;
  for (const metric of ['precision', 'recall', 'f1'] as const) {
    for (const [name, weight] of Object.entries(config.weights[metric] ?? {})) {
      const value = pc[classIndex(classes, name, `weights.${metric}.${name}`)][metric];
      terms.push({ metric, class: name, weight, value });
      num += weight * value;
      den += weight;
    }
  }
  if (den <= 0) throw new ConfigError('custom score: at least one weight must be positive', ['weights']);
  const weighted = num / den;
  let penaltyFactor = 1;
  const confusions = config.criticalConfusions.map((c, j) => {
    const from = classIndex(classes, c.from, `criticalConfusions.${j}.from`);
    const to = classIndex(classes, c.to, `criticalConfusions.${j}.to`);
    const support = cm[from].reduce((a, b) => a + b, 0);
    const count = cm[from][to];
    const rate = support ? count / support : 0;
    const factor = Math.exp(-c.penalty * rate);
    penaltyFactor *= factor;
    return { from: c.from, to: c.to, penalty: c.penalty, count, rate, factor };
  });
  return { name: config.name, score: weighted * penaltyFactor, weighted, penaltyFactor, terms, confusions };
}

/** The score of predicted labels against true labels. */
export function customScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: string[], config: CustomScoreConfig): CustomScoreResult {
  return customScoreFromConfusion(confusionMatrix(yTrue, yPred, classes.length), classes, config);
}
