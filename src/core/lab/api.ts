/**
 * The lab API: what the page asks of the worker (through Comlink) and what tests call
 * in-process. Types only; the worker implements it on the platform adapters.
 */
import type { DatasetMeta } from '../data/types';
import type { ImportRequest, SourceFile } from '../data/request';
import type { EvalReport } from '../eval/report';
import type { ResultsRow } from '../experiment/results-table';
import type { ExperimentEvent } from '../experiment/pipeline';
import type { BackendChoice, BackendInfo, MetricRow, ResultRecord } from '../experiment/result';
import type { Alert } from '../guard/monitor';
import type { ErrorData } from '../util/errors';
import type { GuardStatus, LeakageReport, RiskReport } from '../guard';
import type { ValidationAnalysis } from '../experiment/analysis';
import type { Comparison } from '../experiment/compare';
import type { TestEvaluation } from '../experiment/test-evaluation';
import type { RobustnessReport } from '../eval/robustness';
import type { TopFeature } from '../models/classical/linear';
import type { TokenAttribution } from '../models/estimator';
import type { ImportModelCall } from './import-model';
import type { CascadeRequest, EnsembleReport, EnsembleRequest, StackingPlan } from './ensemble-api';
import type { PretrainedCatalog } from './pretrained-lab';
import type { ExportedModel, ExportFormat, ExportOptions } from './export-model';
import type { RoutedPrediction } from './predict-route';
import type { BundleFile } from './open-bundle';
import type { SearchEvent, SearchOutcome, SearchRequest } from './search-api';
import type { Budgets, BudgetStatus, StorageKind, StorageReport } from './quota-api';
import type { DeviceProfile } from './quota-api';
import type { Calibration, RecommendRequest, RecommendResult, RunEstimate } from './quota-api';
import type { PretrainRecord, PretrainRequest } from './pretrain-api';

// The import request types live in the data layer that reads them; re-exported for the page.
export type { ColumnMapping, ImportRequest, SourceFile } from '../data/request';
export type { PretrainedCatalog, PretrainedCatalogRow } from './pretrained-lab';
export type { PretrainRecord, PretrainRequest } from './pretrain-api';

/** What the lab streams: the pipeline's events plus the lab's own (failure, import progress). */
export type LabEvent = ExperimentEvent | { type: 'failed'; error: ErrorData } | { type: 'import-progress'; message: string; done: number; total: number } | SearchEvent;

export interface TrainRequest {
  datasetId: string;
  config: unknown;
  backend?: BackendChoice;
  /** Where the run goes, in the lab's run home (the terminal: the run folder). Default: a new id. */
  runId?: string;
  /** Where the data came from, for the record (a folder, a file, a Hub id). Default: the dataset's own. */
  source?: string;
  /** Replace a run already at `runId` (the terminal's --force); without it that is refused. */
  overwrite?: boolean;
}

/** A student config trained with a finished teacher run's soft targets (logic in distill.ts). */
export interface DistillRequest {
  datasetId: string;
  /** The teacher's run id (in the terminal, its run folder): any finished run. */
  teacher: string;
  /** The student's experiment config (a neural or pretrained model). */
  config: unknown;
  /** Override the config's distill.alpha (default 0.5) and distill.temperature (default 2). */
  alpha?: number;
  temperature?: number;
  backend?: BackendChoice;
  runId?: string;
  source?: string;
  overwrite?: boolean;
  /** Also train the config without a teacher, same seed, at `<runId>-baseline` (default true). */
  baseline?: boolean;
}

/** A finished run scored on a labelled file: the evaluation report, which file, which run, when. */
export type FileEvaluation = EvalReport & { efficiency: TestEvaluation['efficiency']; file: string; runId: string; at: string };

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
  /** The risk report written at the end of training, with the alerts raised during it. */
  risk?: RiskReport & { alerts: Alert[] };
  /** The validation report written at the end of training (intervals, confusion, errors). */
  analysis?: ValidationAnalysis;
  /** Guarded test evaluations of this run, oldest first. */
  testEvals: TestEvaluation[];
  /** The guard's record of the config check: whether a refusal was overridden, and why. */
  safety?: { overridden: boolean; reason?: string };
}

/** A cancellable search over a grid of model settings, scored on the validation split only. */
export interface GridSearchRequest {
  datasetId: string;
  config: unknown;
  /** Setting paths inside `model` (e.g. "C", "vectorizer.word.ngramMax") to the values to try. */
  grid: Record<string, unknown[]>;
}

export interface GridSearchOutcome {
  metric: 'accuracy' | 'macroF1';
  results: { params: Record<string, unknown>; accuracy: number; macroF1: number; fitSeconds: number }[];
  best: { params: Record<string, unknown>; accuracy: number; macroF1: number };
  /** The input config with the best settings applied, ready to train. */
  bestConfig: unknown;
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
  train(req: TrainRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  /** An already fine-tuned classifier (hf: id or folder) scored on a dataset's validation split and kept as a finished run. */
  importModel(req: ImportModelCall, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  /** Trains a student config on a teacher run's probabilities (and, by default, a baseline without them); resolves with the student's record. */
  distill(req: DistillRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  /** Continues an interrupted run from its last checkpoint (same config, data and seed). */
  resume(runId: string, onEvent: (e: LabEvent) => void, backend?: BackendChoice): Promise<ResultRecord>;
  cancel(): Promise<void>;
  listRuns(): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunDetail>;
  deleteRun(runId: string): Promise<void>;
  predict(runId: string, texts: string[]): Promise<Prediction>;
  /** `predict` plus, for a cascade run, the stage (member run) that answered each text (predict-route.ts). */
  predictRoute(runId: string, texts: string[]): Promise<RoutedPrediction>;
  /** A run bundle's files (fetched from a URL by the demo page) kept as a run here; returns its run id (open-bundle.ts). `where` names the source in errors. */
  openBundle(files: BundleFile[], where?: string): Promise<string>;
  storageEstimate(): Promise<{ usage: number; quota: number } | undefined>;

  /** The test-set guard of a dataset: hashes verified now, budget, access log. */
  guardStatus(datasetId: string): Promise<GuardStatus>;
  /** Changes the test budget; the reason goes into the access log. */
  setTestBudget(datasetId: string, budget: number, reason: string): Promise<GuardStatus>;
  /** Exact and near duplicates across the splits, found at import. */
  leakage(datasetId: string): Promise<LeakageReport | undefined>;
  /** Scores a finished run on its test split through the guard (purpose required, budget spent). */
  evaluateTest(runId: string, purpose: string): Promise<TestEvaluation>;
  /** Scores a finished run on a labelled file in the AG News layout; the report lands in the run. */
  evaluateFile(runId: string, file: SourceFile): Promise<FileEvaluation>;
  /** Metrics with intervals, pairwise tests and seed statistics across finished runs. */
  compare(runIds: string[]): Promise<Comparison>;
  /** results.csv and results.json across finished runs, and the rows they hold. */
  resultsFiles(runIds: string[]): Promise<{ csv: string; json: string; rows: ResultsRow[] }>;
  /** Accuracy on perturbed copies of validation texts (typos, character noise, word drops). */
  robustness(runId: string, opts?: { rate?: number; limit?: number }): Promise<RobustnessReport>;
  /** The most positive features per class of a linear model. */
  topFeatures(runId: string, k?: number): Promise<{ class: string; features: TopFeature[] }[]>;
  /** Token attributions for one text (gradient × input for neural models). */
  explain(runId: string, text: string, target?: number): Promise<TokenAttribution & { classes: string[] }>;
  /**
   * The curated pretrained encoders (and the base `config` names) with the estimated peak memory
   * and time per epoch of `config` (default: the pretrained defaults) on this device's backend,
   * and the guard's refusals on the dataset (AG News's sizes when none is given).
   */
  pretrainedCatalog(datasetId?: string, config?: unknown, backend?: BackendChoice): Promise<PretrainedCatalog>;
  /** Where hf: references and Hub datasets download from from now on (the page's setting); returns it normalised. */
  setHubUrl(url: string): Promise<string>;
  /** Searches a grid of settings for a classical config (validation split only); cancellable. */
  gridSearch(req: GridSearchRequest, onEvent: (e: LabEvent) => void): Promise<GridSearchOutcome>;
  /** Random, TPE or grid search over any config's settings with a trial budget and pruning; trials are runs scored on validation (search-lab.ts). */
  search(req: SearchRequest, onEvent: (e: LabEvent) => void): Promise<SearchOutcome>;
  /** Combines finished runs into an ensemble run (weights, meta-learner, calibration fitted on validation or out-of-fold train rows only). */
  ensemble(req: EnsembleRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  /** Orders finished runs cheapest first into a cascade run, its thresholds chosen on validation for the target. */
  cascade(req: CascadeRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord>;
  /** Which runs stacking can re-fit on folds of train, why not, and about how long it takes. */
  stackingPlan(runIds: string[]): Promise<StackingPlan>;
  /** An ensemble or cascade run's members, diversity, accuracy by size, gain over the best member and cascade curve (validation). */
  ensembleReport(runId: string): Promise<EnsembleReport>;
  /** A finished run as files another tool reads: a Hugging Face folder, its PEFT adapter, or the run bundle (export-model.ts). */
  exportModel(runId: string, format: ExportFormat, opts?: ExportOptions): Promise<ExportedModel>;
  /** The run's TensorBoard event file (tb/events.out.tfevents.*), written as its metrics were; undefined before any. */
  tensorboardFile(runId: string): Promise<{ name: string; bytes: Uint8Array } | undefined>;
  /** Compute budgets (minutes per run, UTC day, week), today's and this week's use, seconds per day, and what a run starting now may use (quota-lab.ts). */
  budgets(): Promise<BudgetStatus>;
  /** Replaces the budgets, kept in the store across page loads and runner calls; bad input is refused and changes nothing. */
  setBudgets(b: Budgets): Promise<BudgetStatus>;
  /** Storage by kind and item from the store's contents; `runs`: run folders kept outside it (the terminal's). */
  storageReport(opts?: { runs?: string[] }): Promise<StorageReport>;
  /** Deletes a dataset or run, a checkpoint slot (`<runId>#latest`), a download cache, or evicts a cached base model (fetched again when a run needs it); the new report. */
  deleteStorageItem(kind: StorageKind, id: string): Promise<StorageReport>;
  /** Asks the platform to keep the store under storage pressure (navigator.storage.persist()); its answer, undefined where it cannot be asked. */
  requestPersist(): Promise<boolean | undefined>;
  /** This machine as the lab sees it: WebGPU adapter (software or not), limits, cores, memory, heap, storage or disks, cached calibrations (core/device/profile.ts). */
  deviceProfile(): Promise<DeviceProfile>;
  /** What a config will cost on a dataset (AG News's sizes when none) and backend before it runs: parameters, peak memory, checkpoint size, seconds (estimate-lab.ts). */
  estimate(req: { datasetId?: string; config: unknown; backend?: BackendChoice }): Promise<RunEstimate>;
  /** Measures the backend's training speed again (a few steps of the reference encoder), kept per device and backend. */
  calibrate(backend?: BackendChoice): Promise<Calibration>;
  /** The presets that fit a time and memory budget on this device, ranked by this project's measured accuracy, and why the others do not. */
  recommend(req: RecommendRequest): Promise<RecommendResult>;
  /** Continues masked-language-model training of a pretrained encoder on a dataset's train texts into a folder a fine-tuning config can name as its base (pretrain.ts). */
  pretrain(req: PretrainRequest, onEvent: (e: LabEvent) => void): Promise<PretrainRecord>;
}
