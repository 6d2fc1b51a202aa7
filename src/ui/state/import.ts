/** The dataset import in progress (kept outside the page so switching tabs loses nothing). */
import { create } from 'zustand';
import type { DatasetMeta } from '../../core/data/types';
import type { ImportRequest, LabEvent } from '../../core/lab/api';
import { lab, listener, requestPersistOnce } from '../lab-client';
import { toShownError, type ShownError } from '../util/errors';
import { useLists } from './lists';

export interface ImportProgress {
  message: string;
  done: number;
  total: number;
}

interface ImportState {
  importing: boolean;
  progress?: ImportProgress;
  error?: ShownError;
  imported?: DatasetMeta;
  runImport: (req: ImportRequest) => Promise<void>;
  clear: () => void;
}

export const useImport = create<ImportState>()((set, get) => ({
  importing: false,
  runImport: async (req) => {
    if (get().importing) return;
    set({ importing: true, progress: { message: 'Starting import…', done: 0, total: 0 }, error: undefined, imported: undefined });
    // Progress can be chatty: keep the latest and render it at most every 100 ms.
    let latest: ImportProgress | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onEvent = (e: LabEvent) => {
      if (e.type !== 'import-progress') return;
      latest = { message: e.message, done: e.done, total: e.total };
      timer ??= setTimeout(() => {
        timer = undefined;
        if (get().importing) set({ progress: latest });
      }, 100);
    };
    try {
      // An import is the first large write: ask (once) that the origin's storage be kept first.
      await requestPersistOnce();
      const meta = await lab().importDataset(req, listener(onEvent));
      set({ imported: meta });
    } catch (err) {
      set({ error: toShownError(err) });
    } finally {
      if (timer) clearTimeout(timer);
      set({ importing: false, progress: undefined });
      const lists = useLists.getState();
      lists.storageChanged();
      await lists.refreshDatasets();
    }
  },
  clear: () => set({ error: undefined, imported: undefined }),
}));
