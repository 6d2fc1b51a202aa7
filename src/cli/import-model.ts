/** `agnews import-model`: an already fine-tuned sequence classifier made a run by the lab, scored on the validation split. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { writableRunDir } from '../platform/node/run-dirs';
import { Reporter } from './reporter';
import { onInterrupt, printRecord } from './util';

export interface ImportModelOptions {
  from: string;
  data: string;
  out: string;
  labels: 'by-name' | 'in-order';
  maxLength?: number;
  maxValidation?: number;
  backend: BackendChoice;
  force?: boolean;
  json?: boolean;
}

export async function importModelCommand(opts: ImportModelOptions): Promise<void> {
  let from = opts.from;
  if (!from.startsWith('hf:')) {
    const dir = resolve(from.replace(/^file:/, ''));
    if (!existsSync(join(dir, 'config.json')))
      throw new InputError(`--from ${opts.from}: no config.json there (expected hf:OWNER/NAME[@REV] or a checkpoint folder)`, { file: opts.from });
    from = `file:${dir}`;
  }
  // Checked before the data is read: a bad --out should fail in a second, not after an import.
  if (existsSync(join(opts.out, 'run.json')) && !opts.force)
    throw new InputError(`--out ${opts.out} already holds a run: choose another folder, or pass --force to replace it`, { file: opts.out });
  writableRunDir('--out', opts.out);
  const source = opts.data.startsWith('hf:') ? opts.data : resolve(opts.data);
  const reporter = new Reporter(false);
  const lab = createNodeLab({ backend: opts.backend });
  const dataset = await lab.importDataset(requestFor(opts.data), reporter.onEvent);
  const off = onInterrupt(() => void lab.cancel());
  try {
    const result = await lab.importModel(
      {
        datasetId: dataset.id,
        from,
        runId: opts.out,
        source,
        labels: opts.labels,
        maxLength: opts.maxLength,
        maxValidation: opts.maxValidation,
        backend: opts.backend,
        overwrite: opts.force,
      },
      reporter.onEvent,
    );
    reporter.close();
    printRecord(result, opts.json);
  } finally {
    off();
  }
}
