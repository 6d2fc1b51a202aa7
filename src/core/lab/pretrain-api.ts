/**
 * The types of the lab's pretrain call (domain-adaptive MLM pretraining, pretrain.ts), apart from
 * api.ts so that the lab API can name them without importing the implementation.
 */
import type { BackendChoice, BackendInfo } from '../experiment/result';
import type { PretrainSettings, PretrainSummary } from '../models/pretrained/mlm/pretrain-loop';

export interface PretrainRequest {
  datasetId: string;
  /** The encoder to continue: `hf:OWNER/NAME[@REV]` or a `file:` folder (BERT, DistilBERT or RoBERTa). */
  base: string;
  /** Where the folder goes in the run home (the terminal: a folder path; the page: a name). */
  out: string;
  /** Optimizer steps; when absent, `epochs` passes over the texts (default 1). */
  steps?: number;
  epochs?: number;
  batchSize?: number;
  maxLength?: number;
  lr?: number;
  weightDecay?: number;
  warmupRatio?: number;
  maskProb?: number;
  wholeWord?: boolean;
  /** Use at most this many train texts (a seeded sample). */
  maxTexts?: number;
  /** Dropout for every layer instead of the checkpoint's own. */
  dropout?: number;
  seed?: number;
  /** Steps between intermediate saves of the folder (default 500; 0: only at the end). */
  checkpointEvery?: number;
  backend?: BackendChoice;
  /** Replace a folder that already holds a model or a run (the terminal's --force). */
  overwrite?: boolean;
}

/** What `pretrain.json` in the folder records, and what the call returns. */
export interface PretrainRecord {
  status: 'running' | 'done';
  out: string;
  base: string;
  architecture: string;
  /** True when the base had no MLM head and one was drawn fresh (seeded). */
  freshHead: boolean;
  dataset: { id: string; fingerprint: string; split: 'train'; texts: number; of: number };
  backend: BackendInfo['backend'];
  settings: PretrainSettings & { maxLength: number; dropout?: number };
  step: number;
  totalSteps: number;
  losses: PretrainSummary['losses'];
  seconds?: number;
  at: string;
}
