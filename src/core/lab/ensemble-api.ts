/**
 * The lab's ensemble and cascade calls: what the page's ensemble dashboard and the CLI send and
 * read back. Types only; the lab implements them (ensemble-lab.ts). Members are finished runs of
 * any family, referenced by run id, never copied.
 */
import type { EnsembleCalibration, EnsembleMethod } from '../models/ensemble/combiner';
import type { DiversityReport } from '../models/ensemble/diversity';

export type { EnsembleCalibration, EnsembleMethod } from '../models/ensemble/combiner';

export interface EnsembleRequest {
  datasetId: string;
  /** Run ids of the members (at least two finished runs on the same dataset). */
  members: string[];
  method: EnsembleMethod;
  /** Caruana forward selection on validation, pruned to this many distinct members. */
  select?: number;
  /** Calibrates the combined probabilities on validation. */
  calibrate?: EnsembleCalibration;
  /** Stacking: folds of the k-fold re-fits on train (default 5). */
  folds?: number;
  /** Where the run goes in the lab's run home. Default: a new id. */
  runId?: string;
  /** Replace a run already at `runId`; without it that is refused. */
  overwrite?: boolean;
}

/** Keep this share of the strongest member's validation accuracy, or send at most this share of texts to the last member. */
export type CascadeTargetRequest = { keepAccuracy: number } | { maxEscalation: number };

export interface CascadeRequest {
  datasetId: string;
  /** Run ids, cheapest first, strongest last (at least two). */
  members: string[];
  /** Default: keep 99.5% of the strongest member's validation accuracy. */
  target?: CascadeTargetRequest;
  runId?: string;
  overwrite?: boolean;
}

/** For each candidate member: whether stacking can re-fit its config k-fold on train, why not, and roughly how long that takes. */
export type StackingPlan = { runId: string; refittable: boolean; reason?: string; estimatedSeconds?: number }[];

export interface EnsembleMemberInfo {
  runId: string;
  configName: string;
  model: string;
  /** The member's own validation accuracy. */
  accuracy: number;
  /** Its share in the combination (ensembles only; 0 when selection dropped it). */
  weight?: number;
}

export interface CascadeStageReport {
  runId: string;
  /** Confidence a text needs to stop at this stage; null for the last stage, which answers everything left. */
  threshold: number | null;
  /** Share of all validation texts answered at this stage. */
  coverage: number;
  /** Accuracy on the texts this stage answered (NaN, null in JSON, where it answered none). */
  accuracy: number;
}

export interface CascadeReport {
  stages: CascadeStageReport[];
  /** Validation accuracy of the cascade at the chosen thresholds. */
  accuracy: number;
  /** Share of texts that reached the last (strongest) member. */
  escalated: number;
  /** Expected cost per text over the strongest member's alone (measured seconds per 1,000 texts). */
  costRatio: number;
  /** Validation accuracy against cost over the thresholds tried, cheapest first; `threshold` is the first stage's (Infinity where every text skips it: null once written as JSON). */
  curve: { secondsPer1000: number; accuracy: number; threshold: number }[];
  /** Index into `curve` of the chosen operating point. */
  chosen: number;
}

export interface EnsembleReport {
  runId: string;
  kind: 'ensemble' | 'cascade';
  method?: EnsembleMethod;
  members: EnsembleMemberInfo[];
  /** Pairwise diversity matrices and marginal contributions on validation (members in `members` order). */
  diversity?: DiversityReport;
  /** Validation accuracy against the number of distinct members along the greedy selection path. */
  bySize?: { size: number; accuracy: number }[];
  /** Validation gain over the best member: paired bootstrap interval of the difference and McNemar's p. */
  gain?: { over: string; delta: number; interval: [number, number]; mcnemarP: number };
  cascade?: CascadeReport;
}
