import { join, resolve } from 'node:path';
import type { ImportedDataset } from '../core/data';
import { aggregateSeeds, formatMeanStd } from '../core/eval/significance';
import type { ExperimentConfig } from '../core/experiment/config';
import type { ResultRecord } from '../core/experiment/result';
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
import { ensureGuarded, labStore } from '../platform/node/lab-store';
import { withVocabFile } from '../platform/node/vocab-file';
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
  /** Repeat the run over this many consecutive seeds (from --seed or the config's). */
  seeds?: number;
  browser?: boolean;
  json?: boolean;
}

export async function trainCommand(opts: TrainOptions): Promise<void> {
  if (opts.resume) return resumeCommand(opts.resume, opts);
  if (!opts.config) throw new InputError('train needs --config CONFIG.json (or --resume RUN_DIR)');
  if (opts.seeds !== undefined && !(Number.isInteger(opts.seeds) && opts.seeds >= 1)) throw new InputError(`--seeds must be a whole number >= 1, got ${opts.seeds}`);
  const text = new TextDecoder().decode(readArgFile('--config', opts.config));
  const config = parseConfigText(text, opts.config);
  config.model = withVocabFile(config.model);
  if (opts.seed !== undefined) config.seed = opts.seed;
  const runId = opts.out ?? `runs/${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${config.name}`;
  const out = resolve(runId);
  const source = opts.data.startsWith('hf:') ? opts.data : resolve(opts.data);
  const reporter = new Reporter(false);
  const one = async (cfg: ExperimentConfig, dir: string, id: string, data?: ImportedDataset): Promise<ResultRecord> => {
    if (!opts.browser) return execute({ config: cfg, dataSpec: opts.data, data, source, out: dir, runId: id, backend: opts.backend, reporter });
    const { trainInBrowser } = await import('./browser');
    return trainInBrowser({ config: cfg, dataSpec: opts.data, source, out: dir, runId: id, backend: opts.backend, reporter });
  };
  if (!opts.seeds || opts.seeds === 1) {
    const result = await one(config, out, runId);
    reporter.close();
    printRecord(result, opts.json);
    return;
  }
  // One folder per seed under OUT, the data loaded once: `agnews report --runs OUT` then groups them.
  const data = opts.browser ? undefined : await loadTrainingSet(opts.data, reporter);
  const results: ResultRecord[] = [];
  for (let i = 0; i < opts.seeds; i++) {
    const seed = config.seed + i;
    reporter.log(`seed ${seed} (${i + 1} of ${opts.seeds})`);
    results.push(await one({ ...config, seed }, join(out, `seed-${seed}`), `${runId}/seed-${seed}`, data));
  }
  reporter.close();
  printRecord(seedSummary(results), opts.json);
}

/** Mean ± sample std over the seeds of each headline figure, with the per-seed records. */
export function seedSummary(results: ResultRecord[]) {
  const agg = (f: (r: ResultRecord) => number | undefined) => aggregateSeeds(results.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x)));
  const accuracy = agg((r) => r.validation.accuracy);
  const macroF1 = agg((r) => r.validation.macroF1);
  return {
    model: results[0].model,
    config: results[0].config,
    seeds: results.map((r) => r.seed),
    validation: { accuracy, macroF1, loss: agg((r) => r.validation.loss) },
    trainSeconds: agg((r) => r.timings.trainSeconds),
    summary: `validation accuracy ${formatMeanStd(accuracy)}, macro-F1 ${formatMeanStd(macroF1)} over ${results.length} seeds`,
    runs: results,
  };
}

function loadTrainingSet(spec: string, reporter: Reporter): Promise<ImportedDataset> {
  return loadData(spec, { onProgress: (p) => reporter.onEvent({ type: 'import-progress', ...p }) });
}

interface ExecuteArgs extends TrainTarget {
  resume?: boolean;
  /** Already loaded (multi-seed runs load once). */
  data?: ImportedDataset;
}

async function execute(a: ExecuteArgs): Promise<ResultRecord> {
  const data = a.data ?? (await loadTrainingSet(a.dataSpec, a.reporter));
  // Sealed and checked for leakage before any training, as an import in the page is.
  const leakage = await ensureGuarded(labStore(), data, (message) => a.reporter.log(message));
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
      heapBytes: () => process.memoryUsage().heapUsed,
      leakage,
    });
  try {
    // Sparse classical models run in plain TypeScript: no tensor backend to start.
    return modelFamily(a.config.model.type) === 'classical' ? await job(PLAIN_TS) : await withBackendFallback(selectNodeBackend, a.backend, job, a.reporter.onEvent);
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
  const result = await execute({ config: cfg, dataSpec: source, source, out, runId: meta.runId, backend: opts.backend, reporter, resume: true });
  reporter.close();
  printRecord(result, opts.json);
}
