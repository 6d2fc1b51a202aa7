/**
 * Types of the device, estimate, budget and storage calls of the lab API (issue 15): what the
 * quota dashboard, the Train page's recommendations and `agnews device|quota|recommend` read.
 * Implementations: device-profile / estimates (core/estimate), budgets and storage accounting.
 */
import type { BackendChoice, BackendInfo } from '../experiment/result';

/** A measured training rate of a reference shape on one backend, cached per device and backend. */
export interface Calibration {
  backend: BackendInfo['backend'];
  /** The adapter (WebGPU) or 'cpu'/'wasm', so a cached figure is not reused on another device. */
  device: string;
  /** Training FLOP/s (forward + backward + update) measured on the reference shape. */
  trainFlopsPerSecond: number;
  /** Inference FLOP/s, where measured. */
  inferFlopsPerSecond?: number;
  /** The reference shape and how long the calibration took. */
  shape: string;
  seconds: number;
  measuredAt: string;
}

export interface DeviceProfile {
  platform: 'browser' | 'node';
  /** The backend a run with `auto` would use now, with the reasons for skipping others. */
  backend: BackendInfo;
  gpu?: {
    vendor: string;
    architecture: string;
    device?: string;
    description?: string;
    /** SwiftShader, llvmpipe, WARP...: a CPU pretending to be a GPU. */
    software: boolean;
    /** Which software renderer, when `software`. */
    renderer?: string;
    limits: Record<string, number>;
    features: string[];
  };
  /** Why there is no `gpu` (no navigator.gpu, no adapter), where the platform could tell. */
  gpuProblem?: string;
  cpuCores?: number;
  /** navigator.deviceMemory (GiB, rounded by the browser) or the machine's total in Node. */
  deviceMemoryBytes?: number;
  /** performance.memory.jsHeapSizeLimit (Chromium) or V8's heap limit in Node. */
  jsHeapLimitBytes?: number;
  storage?: { usage: number; quota: number; persisted?: boolean };
  /** Node: free and total bytes of the disks under the store, the run folders and the model cache. */
  disks?: { what: string; path: string; freeBytes: number; totalBytes: number }[];
  /** Cached calibrations of this device, one per backend measured. */
  calibrations: Calibration[];
}

/** What a config will cost on a dataset and backend, before it runs. */
export interface RunEstimate {
  model: string;
  backend: BackendInfo['backend'];
  parameters: number;
  trainableParameters: number;
  /** Peak training memory (weights, gradients, optimizer state, activations of one batch). */
  peakBytes: number;
  checkpointBytes: number;
  secondsPerEpoch: number;
  /** All epochs, plus validation passes. */
  seconds: number;
  epochs: number;
  trainExamples: number;
  /** How the time was reached (calibration of which backend, or a family's own measured rate). */
  basis: string;
  /** The guard's refusals and the device's limits this config would hit; empty when it fits. */
  problems: string[];
}

export interface Recommendation {
  preset: string;
  estimate: { seconds: number; peakBytes: number; checkpointBytes: number };
  /** Accuracy this preset reached in the product's own measured runs on AG News (stated as such), when known. */
  expectedAccuracy?: { value: number; source: string };
  why: string;
}

export interface RecommendRequest {
  datasetId: string;
  budgetSeconds: number;
  memoryBytes?: number;
  backend?: BackendChoice;
}

export interface RecommendResult {
  recommendations: Recommendation[];
  rejected: { preset: string; reason: string; estimate?: Recommendation['estimate'] }[];
}

/** Compute budgets the user sets, in minutes; absent = no limit. */
export interface Budgets {
  perRunMinutes?: number;
  perDayMinutes?: number;
  perWeekMinutes?: number;
}

export interface BudgetStatus {
  budgets: Budgets;
  usedTodaySeconds: number;
  usedWeekSeconds: number;
  /** Seconds of training per day (UTC date, oldest first), for the dashboard's history. */
  history: { day: string; seconds: number }[];
  /** The tightest of the three limits, in seconds, for a run starting now; undefined = unlimited. */
  leftSeconds?: number;
}

export type StorageKind = 'dataset' | 'run' | 'checkpoint' | 'base-model' | 'other';

export interface StorageItem {
  kind: StorageKind;
  /** Dataset id, run id, or base reference (hf:owner/name@rev). */
  id: string;
  label: string;
  bytes: number;
  lastUsed?: string;
  /** Whether deleting it is offered (a base model in use by a running job is not). */
  deletable: boolean;
}

export interface StorageReport {
  usage?: number;
  quota?: number;
  persisted?: boolean;
  byKind: Record<StorageKind, number>;
  items: StorageItem[];
}
