/** Opening a finished run folder from the terminal: its record, classes and model. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BackendChoice } from '../core/experiment/result';
import type { Estimator } from '../core/models/estimator';
import { loadEstimator } from '../core/models/registry';
import { RunFolder } from '../core/runs/run-folder';
import { InputError } from '../core/util/errors';
import { selectNodeBackend } from '../platform/node/backend';
import { FileStore } from '../platform/node/file-store';

export async function openRun(dir: string, backend: BackendChoice) {
  const root = resolve(dir);
  if (!existsSync(root)) throw new InputError(`--run ${dir}: no such run folder`, { file: dir });
  const run = new RunFolder(new FileStore(root), '');
  const meta = await run.meta();
  const result = await run.result();
  if (!meta || !result) throw new InputError(`--run ${dir}: not a finished run (result.json or run.json missing)`, { file: dir });
  if (result.family !== 'classical') await selectNodeBackend(backend);
  const model: Estimator = loadEstimator(await run.loadModel());
  return { run, meta, result, model, root };
}
