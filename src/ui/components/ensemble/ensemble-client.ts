/**
 * The lab's ensemble calls as the page reaches them through the worker. The contract is
 * `core/lab/ensemble-api.ts`; until `LabApi` lists these methods the remote is typed here.
 */
import type * as Comlink from 'comlink';
import type { ResultRecord } from '../../../core/experiment/result';
import type { LabEvent } from '../../../core/lab/api';
import type { CascadeRequest, EnsembleReport, EnsembleRequest, StackingPlan } from '../../../core/lab/ensemble-api';
import { lab } from '../../lab-client';

/**
 * A distilled run's figures: the result record's `distill` (teacher run, loss mix, the teacher's
 * accuracy, the student's retention, and the same config trained without a teacher), typed here
 * by shape so the page reads records written before and after the field existed.
 */
export interface DistillationInfo {
  teacher: string;
  teacherModel?: string;
  alpha: number;
  temperature: number;
  teacherAccuracy: number;
  /** Student accuracy over the teacher's. */
  retention: number;
  baseline?: { run?: string; accuracy: number; gain?: number };
}

/** The distillation figures a run's result record carries, if any. */
export const distillationOf = (result: unknown): DistillationInfo | undefined => (result as { distill?: DistillationInfo } | undefined)?.distill;

export interface EnsembleCalls {
  ensemble(req: EnsembleRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  cascade(req: CascadeRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  stackingPlan(runIds: string[]): Promise<StackingPlan>;
  ensembleReport(runId: string): Promise<EnsembleReport>;
}

export const ensembleLab = (): Comlink.Remote<EnsembleCalls> => lab() as unknown as Comlink.Remote<EnsembleCalls>;
