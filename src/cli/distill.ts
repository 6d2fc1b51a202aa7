/** `agnews distill`: a student config trained by the lab on a teacher run's probabilities, into a run folder (and its baseline beside it). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { distillConfig } from '../core/lab/distill';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { existingRunDir, writableRunDir } from '../platform/node/run-dirs';
import { Reporter } from './reporter';
import { duplicateJsonKeys, onInterrupt, printRecord, readArgText } from './util';

export interface DistillOptions {
  teacher: string;
  config: string;
  data: string;
  out: string;
  alpha?: number;
  temperature?: number;
  /** Commander's --no-baseline: false skips the run without a teacher. */
  baseline: boolean;
  backend: BackendChoice;
  json?: boolean;
  force?: boolean;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not valid JSON: ${(e as Error).message}`, { file });
  }
}

export async function distillCommand(opts: DistillOptions): Promise<void> {
  if (opts.alpha !== undefined && !(opts.alpha >= 0 && opts.alpha <= 1))
    throw new InputError(`--alpha must be a number from 0 to 1 (the weight of the labels' loss), got ${opts.alpha}`);
  if (opts.temperature !== undefined && !(opts.temperature > 0 && Number.isFinite(opts.temperature)))
    throw new InputError(`--temperature must be a positive number, got ${opts.temperature}`);
  existingRunDir('--teacher', opts.teacher);
  const text = readArgText('--config', opts.config);
  const repeated = duplicateJsonKeys(text);
  if (repeated.length)
    throw new InputError(`--config ${opts.config}: the key "${repeated[0]}" appears twice; JSON keeps only the last, so say it once`, { file: opts.config, field: repeated[0] });
  // Checked here too (JSON, schema, a student that can learn from a teacher), so a bad config fails before the data is read.
  distillConfig({ config: parseJson(text, opts.config), teacher: opts.teacher, alpha: opts.alpha, temperature: opts.temperature }, opts.config);
  const out = opts.out.replace(/[\\/]+$/, '');
  const folders = opts.baseline ? [out, `${out}-baseline`] : [out];
  for (const dir of folders) {
    if (existsSync(join(dir, 'run.json')) && !opts.force)
      throw new InputError(`--out ${dir} already holds a run: choose another folder, or pass --force to replace it`, { file: dir });
    writableRunDir('--out', dir);
  }
  const source = opts.data.startsWith('hf:') ? opts.data : resolve(opts.data);
  const reporter = new Reporter(false);
  const lab = createNodeLab({ backend: opts.backend });
  const dataset = await lab.importDataset(requestFor(opts.data), reporter.onEvent);
  const off = onInterrupt(() => void lab.cancel());
  try {
    const result = await lab.distill(
      {
        datasetId: dataset.id,
        teacher: opts.teacher,
        config: parseJson(text, opts.config),
        alpha: opts.alpha,
        temperature: opts.temperature,
        backend: opts.backend,
        runId: out,
        source,
        overwrite: opts.force,
        baseline: opts.baseline,
      },
      reporter.onEvent,
    );
    reporter.close();
    printRecord(result, opts.json);
  } finally {
    off();
  }
}
