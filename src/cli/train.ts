import { resolve } from 'node:path';
import { parseConfigText, parseExperimentConfig } from '../core/experiment/config';
import { runExperiment } from '../core/experiment/pipeline';
import type { BackendChoice, BackendInfo } from '../core/experiment/result';
import { withBackendFallback } from '../core/lab/fallback';
import { PLAIN_TS } from '../core/lab/lab';
import { modelFamily } from '../core/models/registry';
import { LATEST_SLOT, RunFolder } from '../core/runs/run-folder';
import { InputError } from '../core/util/errors';
import { selectNodeBackend } from '../platform/node/backend';
import { loadData } from '../platform/node/data-source';
import { FileStore } from '../platform/node/file-store';
import type { TrainTarget } from './browser';
import { Reporter } from './reporter';
import { onInterrupt, printRecord, readArgFile } from './util';

export interface TrainOptions {
  config?: string;
  resume?: string;
  data: string;
  out?: string;
  backend: BackendChoice;
  seed?: number;
  browser?: boolean;
  json?: boolean;
}

export async function trainCommand(opts: TrainOptions): Promise<void> {
  if (opts.resume) return resumeCommand(opts.resume, opts);
  if (!opts.config) throw new InputError('train needs --config CONFIG.json (or --resume RUN_DIR)');
  const text = new TextDecoder().decode(readArgFile('--config', opts.config));
  const config = parseConfigText(text, opts.config);
  if (opts.seed !== undefined) config.seed = opts.seed;
  const runId = opts.out ?? `runs/${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${config.name}`;
  const out = resolve(runId);
  const source = opts.data.startsWith('hf:') ? opts.data : resolve(opts.data);
  const reporter = new Reporter(false);
  if (opts.browser) {
    const { trainInBrowser } = await import('./browser');
    const result = await trainInBrowser({ config, dataSpec: opts.data, source, out, runId, backend: opts.backend, reporter });
    reporter.close();
    printRecord(result, opts.json);
    return;
  }
  await execute({ config, dataSpec: opts.data, source, out, runId, backend: opts.backend, json: opts.json, reporter });
}

interface ExecuteArgs extends TrainTarget {
  json?: boolean;
  resume?: boolean;
}

async function execute(a: ExecuteArgs): Promise<void> {
  const data = await loadData(a.dataSpec, { onProgress: (p) => a.reporter.onEvent({ type: 'import-progress', ...p }) });
  const controller = new AbortController();
  const off = onInterrupt(() => controller.abort());
  const job = (backend: BackendInfo) =>
    runExperiment({
      config: a.config,
      data,
      run: new RunFolder(new FileStore(a.out), ''),
      runId: a.runId,
      backend,
      source: a.source,
      signal: controller.signal,
      onEvent: a.reporter.onEvent,
      resume: a.resume,
    });
  try {
    // Sparse classical models run in plain TypeScript: no tensor backend to start.
    const result = modelFamily(a.config.model.type) === 'classical' ? await job(PLAIN_TS) : await withBackendFallback(selectNodeBackend, a.backend, job, a.reporter.onEvent);
    a.reporter.close();
    printRecord(result, a.json);
  } finally {
    off();
  }
}

/** `train --resume DIR`: the run's own config and data source, from its last checkpoint. */
async function resumeCommand(dir: string, opts: TrainOptions): Promise<void> {
  const out = resolve(dir);
  const run = new RunFolder(new FileStore(out), '');
  const meta = await run.meta();
  const config = await run.config();
  if (!meta || !config) throw new InputError(`--resume ${dir}: not a run folder (run.json or config.json missing)`, { file: dir });
  if (meta.status === 'done') throw new InputError(`--resume ${dir}: this run has already finished`, { file: dir });
  if (!(await run.hasCheckpoint(LATEST_SLOT)))
    throw new InputError(`--resume ${dir}: no resumable checkpoint yet (one is written every checkpointEvery steps and at each epoch end); start the run again instead`, { file: dir });
  const source = meta.source ?? opts.data;
  const reporter = new Reporter(false);
  reporter.log(`resuming ${dir}`);
  const cfg = parseExperimentConfig(config, `${dir}/config.json`);
  await execute({ config: cfg, dataSpec: source, source, out, runId: meta.runId, backend: opts.backend, json: opts.json, reporter, resume: true });
}
