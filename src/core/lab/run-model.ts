/**
 * The one way the lab opens a finished run's model, wherever the run lives: the strict reader
 * first, then a tensor backend only when the saved model (or any member run it references)
 * needs one (plain-TypeScript models, classical and fastText's own SGD, never start one), and
 * the model is released after use.
 */
import type { Estimator, LoadEnv } from '../models/estimator';
import { readFinishedRun, type FinishedRun } from '../runs/finished-run';
import type { RunFolder } from '../runs/run-folder';
import type { RunHome } from '../runs/run-home';
import { loadTreeModel, readArtifactTree, treeNeedsTensors } from './member-runs';

export interface OpenedRun extends FinishedRun {
  runId: string;
  run: RunFolder;
  model: Estimator;
}

export type ModelOpener = <T>(runId: string, use: (opened: OpenedRun) => Promise<T>) => Promise<T>;

/** `env` carries what saved models reference (a pretrained run's base weights through the asset store). */
export function modelOpener(runs: RunHome, startBackend: () => Promise<unknown>, env: LoadEnv = {}): ModelOpener {
  return async (runId, use) => {
    const run = runs.folder(runId);
    const finished = await readFinishedRun(run, `Run ${runId}`);
    const tree = await readArtifactTree(runs, runId);
    if (treeNeedsTensors(tree, runId)) await startBackend();
    const model = await loadTreeModel(tree, runId, env);
    try {
      return await use({ ...finished, runId, run, model });
    } finally {
      model.dispose();
    }
  };
}
