/**
 * What the ensemble dashboard keeps: the members picked on the Runs page (in order: a cascade
 * asks the cheapest first), the kind to build, and the ensemble run on show. Persisted like the
 * other selections so a reload returns to the same dashboard.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { EnsembleMethod } from '../../../core/lab/ensemble-api';

export type BuildKind = 'ensemble' | 'cascade';

interface EnsembleUiState {
  /** Member run ids in the order they were picked. */
  members: string[];
  kind: BuildKind;
  method: EnsembleMethod;
  openRunId?: string;
  set: (patch: Partial<Omit<EnsembleUiState, 'set' | 'toggleMember' | 'moveMember'>>) => void;
  toggleMember: (runId: string) => void;
  /** Moves a member one place earlier (-1) or later (+1): the cascade's order. */
  moveMember: (runId: string, by: -1 | 1) => void;
}

export const useEnsembleUi = create<EnsembleUiState>()(
  persist(
    (set) => ({
      members: [],
      kind: 'ensemble',
      method: 'soft',
      set: (patch) => set(patch),
      toggleMember: (runId) => set((s) => ({ members: s.members.includes(runId) ? s.members.filter((m) => m !== runId) : [...s.members, runId] })),
      moveMember: (runId, by) =>
        set((s) => {
          const i = s.members.indexOf(runId);
          const j = i + by;
          if (i < 0 || j < 0 || j >= s.members.length) return {};
          const members = s.members.slice();
          [members[i], members[j]] = [members[j], members[i]];
          return { members };
        }),
    }),
    {
      name: 'agnews-lab-ensemble',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ members: s.members, kind: s.kind, method: s.method, openRunId: s.openRunId }),
    },
  ),
);
