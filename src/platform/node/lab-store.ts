/**
 * The Node runner's own lab store (datasets and their test-set guards), under the cache
 * folder. The CLI imports data afresh for each command, so a dataset is registered with the
 * guard (and checked for leakage) the first time it is seen; from then on its budget, access
 * log and leakage report persist here.
 */
import { join } from 'node:path';
import { getDatasetMeta, saveDataset, type ImportedDataset } from '../../core/data';
import type { LeakageReport } from '../../core/guard';
import { guardImported } from '../../core/lab/dataset-guard';
import { cacheDir } from './data-source';
import { FileStore } from './file-store';

export function labStore(): FileStore {
  return new FileStore(join(cacheDir(), 'lab'));
}

/** Stores and seals the dataset the first time it is seen; its leakage report is computed once and kept. */
export async function ensureGuarded(store: FileStore, data: ImportedDataset, onProgress?: (message: string) => void): Promise<LeakageReport> {
  if (!(await getDatasetMeta(store, data.meta.id))) await saveDataset(store, data);
  return guardImported(store, data, onProgress);
}
