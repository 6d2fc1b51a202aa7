/**
 * A cache of what the worker holds (datasets, runs, presets). Never persisted here: the
 * worker's IndexedDB is the source of truth, and every page re-fetches on mount.
 */
import { create } from 'zustand';
import type { DatasetMeta } from '../../core/data/types';
import type { PresetInfo, RunSummary } from '../../core/lab/api';
import { lab } from '../lab-client';
import { toShownError, type ShownError } from '../util/errors';

interface ListsState {
  datasets: DatasetMeta[];
  runs: RunSummary[];
  presets: PresetInfo[];
  datasetsLoaded: boolean;
  runsLoaded: boolean;
  error?: ShownError;
  /** Bumped after anything that changes storage use, so the storage badge re-reads. */
  storageVersion: number;
  refreshDatasets: () => Promise<void>;
  refreshRuns: () => Promise<void>;
  loadPresets: () => Promise<void>;
  deleteDataset: (id: string) => Promise<void>;
  deleteRun: (runId: string) => Promise<void>;
  storageChanged: () => void;
}

export const useLists = create<ListsState>()((set, get) => ({
  datasets: [],
  runs: [],
  presets: [],
  datasetsLoaded: false,
  runsLoaded: false,
  storageVersion: 0,
  refreshDatasets: async () => {
    try {
      const datasets = await lab().listDatasets();
      set({ datasets, datasetsLoaded: true });
    } catch (err) {
      set({ error: toShownError(err), datasetsLoaded: true });
    }
  },
  refreshRuns: async () => {
    try {
      const runs = await lab().listRuns();
      runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      set({ runs, runsLoaded: true });
    } catch (err) {
      set({ error: toShownError(err), runsLoaded: true });
    }
  },
  loadPresets: async () => {
    if (get().presets.length) return;
    try {
      set({ presets: await lab().presets() });
    } catch (err) {
      set({ error: toShownError(err) });
    }
  },
  deleteDataset: async (id) => {
    try {
      await lab().deleteDataset(id);
      set({ error: undefined });
    } catch (err) {
      set({ error: toShownError(err) });
    }
    get().storageChanged();
    await get().refreshDatasets();
  },
  deleteRun: async (runId) => {
    try {
      await lab().deleteRun(runId);
      set({ error: undefined });
    } catch (err) {
      set({ error: toShownError(err) });
    }
    get().storageChanged();
    await get().refreshRuns();
  },
  storageChanged: () => set((s) => ({ storageVersion: s.storageVersion + 1 })),
}));
