/** The data layer: parse, validate, split, fingerprint, store, and the guarded test split. */
export type * from './types';
export { ImportError, HubError, formatIssue } from './errors';
export { importDataset } from './import';
export type { ImportOptions, ImportedDataset } from './import';
export type { ImportProgress, ProgressFn } from './progress';
export { loadHubDataset, DEFAULT_HUB_DATASET, DEFAULT_HUB_URL, KNOWN_HUB_DATASETS } from './hub';
export type { HubDeps, HubDataset } from './hub';
export {
  saveDataset,
  listDatasets,
  getDatasetMeta,
  loadTrainingData,
  deleteDataset,
  readTestSplit,
  testAccessLog,
} from './repository';
export type { TestAccess } from './repository';
export { splitValidation, stratifiedSubset, DEFAULT_VALIDATION_FRACTION, DEFAULT_SPLIT_SEED } from './split';
export { datasetFingerprint, testFingerprint, datasetIdFrom } from './fingerprint';
export { IssueLog, MAX_LISTED_ERRORS } from './validate';
export { normaliseText } from './normalise';
export type { Candidate } from './validate';
export { parseDelimited } from './csv';
export type { DelimitedTable } from './csv';
export { parseJsonLines, parseJsonFile } from './jsonl';
export type { RecordTable } from './jsonl';
export { parseParquet } from './parquet';
export { decodeUtf8, firstInvalidUtf8 } from './decode';
export { formatOf, readTable, SUPPORTED_EXTENSIONS } from './table';
export type { TableFormat, ParsedTable } from './table';
export { agNewsText, AGNEWS_FILES, AG_NEWS_CLASSES } from './agnews';
export { readLabelledFile } from './labelled';
