/** `agnews train`: a config trained by the lab into a run folder, one seed or several. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfigText } from '../core/experiment/config';
import type { BackendChoice, ResultRecord } from '../core/experiment/result';
import type { Lab } from '../core/lab/lab';
import { seedSummary } from '../core/lab/seed-summary';
import { newRunId } from '../core/runs/run-id';
import { InputError } from '../core/util/errors';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { existingRunDir, writableRunDir } from '../platform/node/run-dirs';
import { Reporter } from './reporter';
import { duplicateJsonKeys, onInterrupt, printRecord, readArgText } from './util';

export interface TrainOptions {
  config?: string;
  resume?: string;
  data: string;
  out?: string;
  backend: BackendChoice;
  seed?: number;
  /** Repeat the run over this many consecutive seeds (from --seed or the config's). */
  seeds?: number;
  browser?: boolean;
  json?: boolean;
  /** Replace a run already in --out. */
  force?: boolean;
  /** Print the estimate and the guard's verdict; train nothing. */
  dryRun?: boolean;
}

export async function trainCommand(opts: TrainOptions): Promise<void> {
  if (opts.resume) return resumeCommand(opts.resume, opts);
  if (!opts.config) throw new InputError('train needs --config CONFIG.json (or --resume RUN_DIR)');
  if (opts.seeds !== undefined && !(Number.isInteger(opts.seeds) && opts.seeds >= 1)) throw new InputError(`--seeds must be a whole number >= 1, got ${opts.seeds}`);
  const text = readArgText('--config', opts.config);
  const repeated = duplicateJsonKeys(text);
  if (repeated.length)
    throw new InputError(
      `--config ${opts.config}: the key "${repeated[0]}" appears twice${repeated.length > 1 ? ` (and ${repeated.length - 1} more repeated key(s))` : ''}; JSON keeps only the last, so say it once`,
      { file: opts.config, field: repeated[0] },
    );
  const config = parseConfigText(text, opts.config);
  if (opts.seed !== undefined) config.seed = opts.seed;
  if (opts.dryRun) return (await import('./dry-run')).dryRunCommand(config, opts);
  const runId = opts.out ?? `runs/${newRunId(config.name)}`;
  const source = opts.data.startsWith('hf:') ? opts.data : resolve(opts.data);
  const reporter = new Reporter(false);
  const seeds = opts.seeds ?? 1;
  // One folder per seed under OUT, the data imported once: `agnews report --runs OUT` then groups them.
  const jobs = Array.from({ length: seeds }, (_, i) =>
    seeds === 1 ? { config, runId } : { config: { ...config, seed: config.seed + i }, runId: join(runId, `seed-${config.seed + i}`) },
  );
  // Checked before the data is read: a bad --out should fail in a second, not after an import.
  for (const job of jobs) {
    if (existsSync(join(job.runId, 'run.json')) && !opts.force)
      throw new InputError(`--out ${job.runId} already holds a run: choose another folder, or pass --force to replace it`, { file: job.runId });
    writableRunDir('--out', job.runId);
  }
  const results: ResultRecord[] = [];
  if (opts.browser) {
    const { trainInBrowser } = await import('./browser');
    // The page cannot read local files: referenced files travel inside the config.
    const withFiles = await createNodeLab().withAssets(config);
    for (const job of jobs)
      results.push(
        await trainInBrowser({ ...job, config: { ...withFiles, seed: job.config.seed }, dataSpec: opts.data, source, out: resolve(job.runId), backend: opts.backend, reporter }),
      );
  } else {
    const lab = createNodeLab({ backend: opts.backend });
    const dataset = await lab.importDataset(requestFor(opts.data), reporter.onEvent);
    for (const [i, job] of jobs.entries()) {
      if (seeds > 1) reporter.log(`seed ${job.config.seed} (${i + 1} of ${seeds})`);
      results.push(await cancellable(lab, () => lab.train({ datasetId: dataset.id, config: job.config, runId: job.runId, source, overwrite: opts.force }, reporter.onEvent)));
    }
  }
  reporter.close();
  printRecord(seeds === 1 ? results[0] : seedSummary(results), opts.json);
}

/** Ctrl-C cancels the lab's job cleanly (the run is marked cancelled and keeps its checkpoint). */
async function cancellable<T>(lab: Lab, job: () => Promise<T>): Promise<T> {
  const off = onInterrupt(() => void lab.cancel());
  try {
    return await job();
  } finally {
    off();
  }
}

/** `train --resume DIR`: the lab continues the run from its last checkpoint, on its own config and data. */
async function resumeCommand(dir: string, opts: TrainOptions): Promise<void> {
  existingRunDir('--resume', dir);
  const reporter = new Reporter(false);
  reporter.log(`resuming ${dir}`);
  const lab = createNodeLab({ backend: opts.backend });
  const result = await cancellable(lab, () => lab.resume(dir, reporter.onEvent));
  reporter.close();
  printRecord(result, opts.json);
}
