/**
 * The four classical presets as zod schemas (defaults filled in, unknown fields rejected). The
 * factory that turns one into an estimator is in spec.ts.
 */
import { z } from 'zod';
import { tfidfConfigSchema } from '../../features/tfidf-config';
import { ConfigError } from '../../util/errors';
import { classicalTraits } from './traits';

const classWeight = z.union([z.literal('balanced'), z.array(z.number().nonnegative()).min(2), z.null()]).default(null);

function calibration(defaultMethod: 'none' | 'sigmoid') {
  return z
    .object({
      method: z.enum(['none', 'sigmoid', 'isotonic', 'temperature']).default(defaultMethod),
      /** Folds: each fold's model is calibrated on the part it did not see. */
      cv: z.number().int().min(2).max(20).default(3),
      /**
       * true (sklearn's default): keep the cv fold models and average their calibrated
       * probabilities. false: calibrate on out-of-fold scores and refit one model on all data
       * (one model to store and run, one more fit).
       */
      ensemble: z.boolean().default(true),
    })
    .strict()
    .prefault({});
}

const common = {
  vectorizer: tfidfConfigSchema.prefault({}),
  classWeight,
};

export const nbSchema = z
  .object({
    type: z.literal('tfidf-nb'),
    ...common,
    alpha: z.number().positive().default(0.05),
    complement: z.boolean().default(false),
    fitPrior: z.boolean().default(true),
    calibration: calibration('none'),
  })
  .strict();

export const logregSchema = z
  .object({
    type: z.literal('tfidf-logreg'),
    ...common,
    /** Inverse L2 strength, sklearn's C: loss = C * sum(CE) + |W|^2 / 2. */
    C: z.number().positive().default(10),
    maxIter: z.number().int().positive().default(100),
    /** Stop when the gradient's max-norm falls below tol * its initial value. */
    tol: z.number().positive().default(1e-4),
    calibration: calibration('none'),
  })
  .strict();

export const svmSchema = z
  .object({
    type: z.literal('tfidf-svm'),
    ...common,
    C: z.number().positive().default(0.5),
    maxIter: z.number().int().positive().default(1000),
    /** Dual CD stops when the projected-gradient gap falls below tol (liblinear's eps). */
    tol: z.number().positive().default(0.1),
    /** NB-SVM feature scaling (Wang & Manning 2012) smoothing; 0 = plain linear SVM. */
    nbAlpha: z.number().nonnegative().default(0),
    /**
     * One SVM per analyzer block (word, char) with their scores blended; null fits one SVM on
     * all columns. `charC` is the char block's C (null: C); `weight` is the word block's share
     * of the blended score (null: chosen on the calibration folds' out-of-fold scores).
     */
    blend: z
      .object({
        charC: z.number().positive().nullable().default(null),
        weight: z.number().min(0).max(1).nullable().default(null),
      })
      .strict()
      .nullable()
      .default(null),
    calibration: calibration('sigmoid'),
  })
  .strict();

export const sgdSchema = z
  .object({
    type: z.literal('tfidf-sgd'),
    ...common,
    alpha: z.number().positive().default(2e-5),
    epochs: z.number().int().positive().default(20),
    learningRate: z.enum(['optimal', 'invscaling', 'constant']).default('optimal'),
    eta0: z.number().positive().default(0.01),
    powerT: z.number().default(0.5),
    /** Stop when the epoch loss has not improved by tol for nIterNoChange epochs (sklearn). */
    tol: z.number().nonnegative().nullable().default(1e-3),
    nIterNoChange: z.number().int().positive().default(5),
    calibration: calibration('none'),
  })
  .strict();

export const classicalModelSchema = z.discriminatedUnion('type', [nbSchema, logregSchema, svmSchema, sgdSchema]);

export type NbConfig = z.output<typeof nbSchema>;
export type LogregConfig = z.output<typeof logregSchema>;
export type SvmConfig = z.output<typeof svmSchema>;
export type SgdConfig = z.output<typeof sgdSchema>;
export type ClassicalConfig = z.output<typeof classicalModelSchema>;
export type ClassicalKind = ClassicalConfig['type'];
export const CLASSICAL_KINDS: ClassicalKind[] = [...classicalTraits.types];

/** Validates params (with `type`) and fills defaults; ConfigError lists every problem by path. */
export function parseClassicalConfig(input: unknown): ClassicalConfig {
  const r = classicalModelSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new ConfigError(`Invalid classical model config: ${issues.join('; ')}`, issues);
}
