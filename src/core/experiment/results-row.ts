/**
 * The shapes of the cross-run results table (results-table.ts builds it, seed-study.ts groups
 * it), kept apart so the two do not import each other.
 */
import { z } from 'zod';
import type { Interval } from '../eval/bootstrap';
import type { ModelFamily } from '../models/estimator';
import type { ResultRecord } from './result';

const interval = z.tuple([z.number(), z.number()]);

/**
 * The fields read from an eval-*.json file. Loose on purpose: older reports lack the newer
 * fields, and anything else in the file is ignored.
 */
export const evalFileSchema = z.object({
  split: z.string(),
  n: z.number(),
  accuracy: z.number(),
  macroF1: z.number(),
  ci95: interval.optional(),
  ciMacroF1: interval.optional(),
  ece: z.number().optional(),
  ciEce: interval.optional(),
  logLoss: z.number().optional(),
  ciLogLoss: interval.optional(),
  brier: z.number().optional(),
  top2: z.number().optional(),
  custom: z.object({ score: z.number() }).optional(),
  efficiency: z.object({ textsPerSecond: z.number().optional(), latencyP50Ms: z.number().optional(), latencyP95Ms: z.number().optional() }).optional(),
});

export type EvalFile = z.output<typeof evalFileSchema>;

export interface RunInput {
  result: ResultRecord;
  config: unknown;
  /** Evaluation reports found in the run folder, with their file names. */
  evals?: { file: string; report: EvalFile }[];
}

export interface EvalSummary {
  file: string;
  n: number;
  accuracy: number;
  ciAccuracy?: Interval;
  macroF1: number;
  ciMacroF1?: Interval;
  ece?: number;
  ciEce?: Interval;
  logLoss?: number;
  ciLogLoss?: Interval;
  brier?: number;
  top2?: number;
  custom?: number;
}

export interface ResultsRow {
  run: string;
  model: string;
  family: ModelFamily;
  /** The seed of this run (a list so grouped rows and single runs share a shape). */
  seeds: number[];
  configName: string;
  /** sha256 of the canonical JSON of config.json. */
  configHash: string;
  /** Same, with the top-level `seed` removed: runs that differ only in seed share it. */
  experimentHash: string;
  backend: string;
  createdAt: string;
  validation: { accuracy: number; macroF1: number; loss?: number };
  /** Latest evaluation per split (eval files sort by their timestamped names). */
  evals: Record<string, EvalSummary>;
  efficiency: {
    parameters: number;
    modelBytes: number;
    trainSeconds: number;
    totalSeconds: number;
    textsPerSecond?: number;
    latencyP50Ms?: number;
    latencyP95Ms?: number;
    peakHeapBytes?: number;
    peakTensorBytes?: number;
  };
}
