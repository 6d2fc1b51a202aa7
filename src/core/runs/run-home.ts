/**
 * The port for where runs live. The page keeps every run in its one store under `runs/<id>/`;
 * the terminal keeps each run in its own folder (`--out DIR`, the run-directory contract of
 * DESIGN.md), and there the run id is that folder's path. The lab reads and writes runs only
 * through this port, so both homes get the same files from the same code.
 */
import type { BlobStore } from '../storage/port';
import { readJson } from '../storage/port';
import { RunFolder, type RunMeta } from './run-folder';

export interface RunHome {
  folder(runId: string): RunFolder;
  /** Every run this home can enumerate, newest first. */
  list(): Promise<RunMeta[]>;
  remove(runId: string): Promise<void>;
}

/** Runs under `runs/<id>/` of one store (IndexedDB in the page, the memory store in tests). */
export function storeRuns(store: BlobStore): RunHome {
  return {
    folder: (runId) => RunFolder.inStore(store, runId),
    async list() {
      const paths = (await store.list('runs/')).filter((p) => /^runs\/[^/]+\/run\.json$/.test(p));
      const metas: RunMeta[] = [];
      for (const p of paths) {
        const m = await readJson<RunMeta>(store, p);
        if (m) metas.push(m);
      }
      return metas.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    remove: (runId) => store.remove(`runs/${runId}/`),
  };
}
