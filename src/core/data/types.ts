import type { DatasetId } from '../util/brand';

/** One labelled text. `label` is an index into the dataset's `classes`. */
export interface Example {
  /** Stable id within the dataset: `<split>:<source line or row index>`. */
  id: string;
  text: string;
  label: number;
}

export type SplitName = 'train' | 'validation' | 'test';

export interface Issue {
  /** 1-based line (CSV/TSV/JSONL) or row (Parquet) in the source file. */
  line?: number;
  file?: string;
  field?: string;
  message: string;
}

/** What the import found. `errors` make the import fail; `warnings` are reported and kept. */
export interface ValidationReport {
  files: { name: string; rows: number; bytes: number }[];
  errors: Issue[];
  /** Total number of errors (the list above is capped). */
  errorCount: number;
  warnings: Issue[];
  emptyTexts: number;
  unknownLabels: number;
  /** Exact duplicate rows (same text and label) inside train; the later copies were dropped. */
  duplicateRows: number;
  /** Same text with different labels inside train. */
  conflictingDuplicates: number;
  /** Train rows whose normalised text also appears in test; they were dropped from train. */
  trainTestOverlap: number;
  overlapExamples: { trainLine?: number; testLine?: number; text: string }[];
  classCounts: { train: number[]; validation: number[]; test: number[] };
}

export interface DatasetMeta {
  id: DatasetId;
  name: string;
  source: string;
  classes: string[];
  createdAt: string;
  /** `sha256:` + hex over train, validation and test content and the class names. */
  fingerprint: string;
  /** Hash of the test split alone (sorted ids and content), checked before any test access. */
  testFingerprint: string;
  sizes: { train: number; validation: number; test: number };
  validationFraction: number;
  splitSeed: number;
  report: ValidationReport;
}

/** The parts of a dataset that training may read. The test split is not here on purpose. */
export interface TrainingData {
  meta: DatasetMeta;
  train: Example[];
  validation: Example[];
}
