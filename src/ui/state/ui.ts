/**
 * UI-only state: the open tab and what is selected on each page. Selections persist in
 * localStorage and the tab lives in the URL hash, so a reload returns to the same place.
 * Data itself (datasets, runs) always comes back from the worker.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { BackendChoice } from '../../core/experiment/result';

export const TABS = ['data', 'train', 'runs', 'ensemble', 'compare', 'overfitting', 'predict', 'quota'] as const;
export type Tab = (typeof TABS)[number];

export const tabFromHash = (hash: string): Tab | undefined => {
  const t = hash.replace(/^#\/?/, '').split('/')[0];
  return (TABS as readonly string[]).includes(t) ? (t as Tab) : undefined;
};

interface UiState {
  tab: Tab;
  trainDatasetId?: string;
  presetName?: string;
  backend: BackendChoice;
  openRunId?: string;
  compareIds: string[];
  predictRunId?: string;
  /** The run the overfitting dashboard shows, and the dataset whose guard it shows. */
  guardRunId?: string;
  guardDatasetId?: string;
  maxTrain?: number;
  validationFraction: number;
  /** The first-run guide on the Data page was hidden by the user. */
  guideHidden?: boolean;
  setTab: (tab: Tab) => void;
  set: (patch: Partial<Omit<UiState, 'set' | 'setTab' | 'toggleCompare'>>) => void;
  toggleCompare: (runId: string) => void;
}

const initialTab = (): Tab => (typeof location !== 'undefined' && tabFromHash(location.hash)) || 'data';

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      tab: initialTab(),
      backend: 'auto',
      compareIds: [],
      validationFraction: 0.1,
      setTab: (tab) => {
        set({ tab });
        if (typeof location !== 'undefined' && tabFromHash(location.hash) !== tab) location.hash = `#${tab}`;
      },
      set: (patch) => set(patch),
      toggleCompare: (runId) => set((s) => ({ compareIds: s.compareIds.includes(runId) ? s.compareIds.filter((id) => id !== runId) : [...s.compareIds, runId] })),
    }),
    {
      name: 'agnews-lab-ui',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({
        tab: s.tab,
        trainDatasetId: s.trainDatasetId,
        presetName: s.presetName,
        backend: s.backend,
        openRunId: s.openRunId,
        compareIds: s.compareIds,
        predictRunId: s.predictRunId,
        guardRunId: s.guardRunId,
        guardDatasetId: s.guardDatasetId,
        maxTrain: s.maxTrain,
        validationFraction: s.validationFraction,
        guideHidden: s.guideHidden,
      }),
      // The hash wins over the remembered tab (links and reloads of a #tab URL).
      merge: (persisted, current) => {
        const merged = { ...current, ...(persisted as Partial<UiState>) };
        const fromHash = typeof location !== 'undefined' ? tabFromHash(location.hash) : undefined;
        if (fromHash) merged.tab = fromHash;
        if (!(TABS as readonly string[]).includes(merged.tab)) merged.tab = 'data';
        return merged;
      },
    },
  ),
);
