/**
 * The lab's ensemble calls as the page reaches them through the worker. The contract is
 * `core/lab/ensemble-api.ts`; until `LabApi` lists these methods the remote is typed here.
 */
import type * as Comlink from 'comlink';
import type { ResultRecord } from '../../../core/experiment/result';
import type { LabEvent } from '../../../core/lab/api';
import type { CascadeRequest, EnsembleReport, EnsembleRequest, StackingPlan } from '../../../core/lab/ensemble-api';
import { lab } from '../../lab-client';

/** What a distilled run's report adds (teacher, loss mix, the student against its teacher and its plain twin). */
export interface DistillationInfo {
  teacher: string;
  alpha: number;
  temperature: number;
  teacherAccuracy: number;
  studentAccuracy: number;
  /** Student accuracy over the teacher's. */
  retention: number;
  /** The same config trained without a teacher, when one was trained. */
  baseline?: { runId?: string; accuracy: number };
}

export type DashboardReport = EnsembleReport & { distillation?: DistillationInfo };

export interface EnsembleCalls {
  ensemble(req: EnsembleRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  cascade(req: CascadeRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  stackingPlan(runIds: string[]): Promise<StackingPlan>;
  ensembleReport(runId: string): Promise<DashboardReport>;
}

export const ensembleLab = (): Comlink.Remote<EnsembleCalls> => lab() as unknown as Comlink.Remote<EnsembleCalls>;
