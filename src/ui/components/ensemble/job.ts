/**
 * The ensemble or cascade being built: phase progress, log and outcome. Fitting a combiner is
 * short next to training, so events are applied as they come; the Runs list is refreshed when the
 * run appears and when it ends.
 */
import { create } from 'zustand';
import type { ResultRecord } from '../../../core/experiment/result';
import type { LabEvent } from '../../../core/lab/api';
import type { CascadeRequest, EnsembleRequest } from '../../../core/lab/ensemble-api';
import { lab, listener } from '../../lab-client';
import { useLists } from '../../state/lists';
import type { LogLine } from '../../state/train';
import { isCancelled, toShownError, type ShownError } from '../../util/errors';
import { useEnsembleUi, type BuildKind } from './state';

const MAX_LOG = 200;

interface JobState {
  running: boolean;
  cancelling: boolean;
  kind?: BuildKind;
  runId?: string;
  /** When the current phase started, for the time left. */
  phase?: { phase: string; done: number; total: number; since: number };
  logs: LogLine[];
  result?: ResultRecord;
  error?: ShownError;
  cancelled: boolean;
  build: (req: EnsembleRequest) => Promise<void>;
  buildCascade: (req: CascadeRequest) => Promise<void>;
  cancel: () => Promise<void>;
}

export const useEnsembleJob = create<JobState>()((set, get) => {
  const onEvent = (e: LabEvent) => {
    switch (e.type) {
      case 'run-started':
        set({ runId: e.runId });
        void useLists.getState().refreshRuns();
        break;
      case 'phase': {
        const prev = get().phase;
        set({ phase: { phase: e.phase, done: e.done, total: e.total, since: prev?.phase === e.phase ? prev.since : Date.now() } });
        break;
      }
      case 'log':
        set((s) => ({ logs: [...s.logs, { level: e.level, message: e.message, at: Date.now() }].slice(-MAX_LOG) }));
        break;
      case 'done':
        set({ result: e.result });
        break;
      case 'failed':
        if (e.error.name === 'CancelledError') set({ cancelled: true });
        else set({ error: toShownError(e.error) });
        break;
    }
  };

  const run = async (kind: BuildKind, job: () => Promise<ResultRecord>) => {
    if (get().running) return;
    set({ running: true, cancelling: false, kind, runId: undefined, phase: undefined, logs: [], result: undefined, error: undefined, cancelled: false });
    try {
      const result = await job();
      set({ result });
      // The dashboard opens on the run just built.
      const runId = get().runId ?? result.run;
      if (runId) useEnsembleUi.getState().set({ openRunId: runId });
    } catch (err) {
      if (isCancelled(err)) set({ cancelled: true });
      else set({ error: toShownError(err) });
    } finally {
      set({ running: false, cancelling: false, phase: undefined });
      const lists = useLists.getState();
      lists.storageChanged();
      void lists.refreshRuns();
    }
  };

  return {
    running: false,
    cancelling: false,
    logs: [],
    cancelled: false,
    build: (req) => run('ensemble', () => lab().ensemble(req, listener(onEvent))),
    buildCascade: (req) => run('cascade', () => lab().cascade(req, listener(onEvent))),
    cancel: async () => {
      if (!get().running) return;
      set({ cancelling: true });
      try {
        await lab().cancel();
      } catch (err) {
        set({ error: toShownError(err) });
      }
    },
  };
});
