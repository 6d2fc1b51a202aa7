/**
 * The Node runner's own lab store (datasets and their test-set guards), under the cache
 * folder. The CLI imports data afresh for each command, so a dataset is registered with the
 * guard the first time it is seen; from then on its budget and access log persist here.
 */
import { join } from 'node:path';
import { getDatasetMeta, saveDataset, type ImportedDataset } from '../../core/data';
import { registerTestSplit } from '../../core/guard';
import { cacheDir } from './data-source';
import { FileStore } from './file-store';

export function labStore(): FileStore {
  return new FileStore(join(cacheDir(), 'lab'));
}

export async function ensureGuarded(store: FileStore, data: ImportedDataset): Promise<void> {
  if (!(await getDatasetMeta(store, data.meta.id))) await saveDataset(store, data);
  await registerTestSplit(store, data.meta, data.test);
}
