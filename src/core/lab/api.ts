/**
 * The lab API: what the page asks of the worker (through Comlink) and what tests call
 * in-process. Types only; the worker implements it on the platform adapters.
 */
import type { DatasetMeta } from '../data/types';
import type { BackendChoice, BackendInfo, MetricRow, ResultRecord } from '../experiment/result';
import type { TrainEvent } from '../train/events';
import type { Alert } from '../guard/monitor';
import type { ErrorData } from '../util/errors';

export interface SourceFile {
  name: string;
  bytes: Uint8Array;
}

export interface ColumnMapping {
  /** Columns joined with a space to make the text (names, or 0-based indices for header-less files). */
  text: (string | number)[];
  label: string | number;
  /** Whether the first row of a CSV/TSV is a header. Default: detected. */
  header?: boolean;
}

export type ImportRequest =
  /** AG News layout: train.csv, test.csv, classes.txt (header-less `label,title,description`). */
  | { kind: 'agnews'; name?: string; files: SourceFile[]; validationFraction?: number; seed?: number; maxTrain?: number }
  /** Any CSV/TSV/JSONL/Parquet with a column mapping; labels are names or 0/1-based indices. */
  | {
      kind: 'table';
      name: string;
      train: SourceFile;
      test?: SourceFile;
      mapping: ColumnMapping;
      classes?: string[];
      validationFraction?: number;
      seed?: number;
      maxTrain?: number;
    }
  /** A Hugging Face Hub dataset in Parquet (default `fancyzhx/ag_news`). */
  | { kind: 'hub'; dataset: string; validationFraction?: number; seed?: number; maxTrain?: number };

export type LabEvent =
  | TrainEvent
  | Alert
  | { type: 'run-started'; runId: string; backend: BackendInfo }
  | { type: 'done'; result: ResultRecord }
  | { type: 'failed'; error: ErrorData }
  | { type: 'import-progress'; message: string; done: number; total: number };

export interface RunSummary {
  runId: string;
  configName: string;
  model: string;
  datasetId: string;
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  createdAt: string;
  result?: ResultRecord;
  /** An interrupted or cancelled run with a checkpoint to continue from. */
  resumable?: boolean;
}

export interface RunDetail extends RunSummary {
  config: unknown;
  metrics: MetricRow[];
  classes: string[];
  error?: ErrorData;
}

export interface Prediction {
  classes: string[];
  probs: number[][];
}

export interface PresetInfo {
  name: string;
  description: string;
  config: unknown;
}

export interface LabApi {
  backendInfo(choice?: BackendChoice): Promise<BackendInfo>;
  importDataset(req: ImportRequest, onEvent?: (e: LabEvent) => void): Promise<DatasetMeta>;
  listDatasets(): Promise<DatasetMeta[]>;
  deleteDataset(id: string): Promise<void>;
  presets(): Promise<PresetInfo[]>;
  /** Resolves when the run ends (done, failed or cancelled); events stream meanwhile. */
  train(req: { datasetId: string; config: unknown; backend?: BackendChoice }, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  /** Continues an interrupted run from its last checkpoint (same config, data and seed). */
  resume(runId: string, onEvent: (e: LabEvent) => void, backend?: BackendChoice): Promise<ResultRecord>;
  cancel(): Promise<void>;
  listRuns(): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunDetail>;
  deleteRun(runId: string): Promise<void>;
  predict(runId: string, texts: string[]): Promise<Prediction>;
  storageEstimate(): Promise<{ usage: number; quota: number } | undefined>;
}
