import type { ModelFamily } from '../models/estimator';
import type { Efficiency } from './analysis';

/** The result record (contract in DESIGN.md: extend freely, never rename). */
export interface ResultRecord {
  run: string;
  model: string;
  family: ModelFamily;
  backend: string;
  seed: number;
  config: string;
  data: { train: number; validation: number; fingerprint: string; source?: string };
  validation: { accuracy: number; macroF1: number; loss?: number };
  timings: { trainSeconds: number; totalSeconds: number };
  modelBytes: number;
  parameters: number;
  epochs: number;
  stoppedEarly?: string;
  /** Overfitting risk (0-100) from the guard's report, written in full to risk.json/risk.html. */
  /** `judged: false` when nothing could be judged (single-pass models): the score then means nothing. */
  risk?: { score: number; level: string; judged?: boolean; alerts: number; overridden: boolean };
  /** Prediction speed and peak memory, measured on the trained model (validation texts). */
  efficiency?: Efficiency;
  device?: BackendInfo;
  createdAt: string;
  /**
   * A distilled run: its teacher run, alpha and T, the teacher's validation accuracy, the
   * student's retention (its validation accuracy over the teacher's) and its gain over the same
   * config trained without a teacher (same seed), with that baseline run's id.
   */
  distill?: DistillRecord;
  /** Ensembles: the member runs with their share in the combination, and how they are combined. */
  ensemble?: { method: string; members: { run: string; weight: number }[]; select?: number; calibrate?: string };
  /** Cascades: members cheapest first, the chosen thresholds, and the validation coverage, escalation and cost against the strongest member alone. */
  cascade?: { members: string[]; thresholds: (number | null)[]; coverage: number[]; accuracy: number; escalated: number; costRatio: number; secondsPer1000: number[] };
}

export interface DistillRecord {
  teacher: string;
  teacherModel: string;
  alpha: number;
  temperature: number;
  teacherAccuracy: number;
  retention: number;
  baseline?: { run: string; accuracy: number; gain: number };
}

export type BackendChoice = 'auto' | 'webgpu' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: 'webgpu' | 'wasm' | 'cpu';
  /** Adapter details when WebGPU is used (vendor, architecture, description). */
  adapter?: {
    vendor?: string;
    architecture?: string;
    description?: string;
    isSwiftShader?: boolean;
    /** The software renderer (SwiftShader, lavapipe, WARP, …) when the adapter is no GPU. */
    software?: string;
  };
  /** The model ran in plain TypeScript: no tensor backend was started (`backend` says 'cpu'). */
  plainTypeScript?: boolean;
  /** The order `auto` ranked the backends in on this machine, best first (absent for an explicit choice). */
  ranking?: ('webgpu' | 'wasm' | 'cpu')[];
  /** Why each backend ranked above this one was skipped (tried and failed, or passed over). */
  skipped: { backend: string; reason: string }[];
}

/** One line of metrics.jsonl. */
export type MetricRow = Record<string, number | string | undefined> & { kind: 'step' | 'epoch'; step: number; epoch: number };
