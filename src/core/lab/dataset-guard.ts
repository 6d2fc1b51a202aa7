/**
 * What the lab does to a dataset right after import, before anything can train on it: seal
 * its test split with the guard (hashes, budget, log) and look for leakage across the splits.
 * The leakage report is stored beside the dataset so the dashboard shows it without redoing
 * the MinHash pass (a few seconds on AG News).
 */
import type { ImportedDataset } from '../data';
import { datasetPaths } from '../data/repository';
import { detectLeakage, registerTestSplit, type LeakageReport } from '../guard';
import { jsonFile, readJson, type BlobStore } from '../storage/port';

export const leakagePath = (datasetId: string): string => `${datasetPaths(datasetId).dir}leakage.json`;

/** Idempotent: registering the same split again keeps its budget and log; a stored report is reused. */
export async function guardImported(store: BlobStore, ds: ImportedDataset, onProgress?: (message: string) => void): Promise<LeakageReport> {
  // A dataset without a test split has nothing to seal; leakage between train and validation still matters.
  if (ds.test.length > 0) {
    onProgress?.('Sealing the test split (SHA-256 of ids and content)');
    await registerTestSplit(store, ds.meta, ds.test);
  }
  const stored = await readLeakage(store, ds.meta.id);
  if (stored) return stored;
  onProgress?.('Looking for duplicates across train, validation and test');
  const report = detectLeakage({ train: ds.train, validation: ds.validation, test: ds.test }, { maxExamples: 10 });
  await store.commit([jsonFile(leakagePath(ds.meta.id), report)]);
  return report;
}

export function readLeakage(store: BlobStore, datasetId: string): Promise<LeakageReport | undefined> {
  return readJson<LeakageReport>(store, leakagePath(datasetId));
}
