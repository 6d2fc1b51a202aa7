/**
 * The one way the lab opens a finished run's model, wherever the run lives: the strict reader
 * first, then a tensor backend only when the saved model needs one (plain-TypeScript models,
 * classical and fastText's own SGD, never start one), and the model is released after use.
 */
import type { Estimator, LoadEnv } from '../models/estimator';
import { loadEstimator, predictsWithTensors } from '../models/registry';
import { readFinishedRun, type FinishedRun } from '../runs/finished-run';
import type { RunFolder } from '../runs/run-folder';
import type { RunHome } from '../runs/run-home';

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
    const artifact = await run.loadModel();
    if (predictsWithTensors(artifact)) await startBackend();
    const model = loadEstimator(artifact, env);
    try {
      return await use({ ...finished, runId, run, model });
    } finally {
      model.dispose();
    }
  };
}
