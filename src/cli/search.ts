/**
 * `agnews search`: the lab's hyper-parameter search from the terminal. Trials are run folders
 * under --out (`trial-000`, ...), the kept ones stay (the best, or all with --keep all) beside
 * the summary `search.json`; with --json the summary is the last line of stdout.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseExperimentConfig } from '../core/experiment/config';
import type { BackendChoice } from '../core/experiment/result';
import type { LabEvent } from '../core/lab/api';
import { checkSearch, SEARCH_FILE } from '../core/lab/search-lab';
import type { PrunerName, SamplerName } from '../core/lab/search-api';
import { newRunId } from '../core/runs/run-id';
import { InputError } from '../core/util/errors';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { writableRunDir } from '../platform/node/run-dirs';
import { formatDuration, Reporter } from './reporter';
import { duplicateJsonKeys, onInterrupt, printRecord, readArgText } from './util';

export interface SearchOptions {
  config: string;
  space: string;
  trials: number;
  sampler: SamplerName;
  pruner: PrunerName;
  keep: 'best' | 'all';
  timeout?: number;
  data: string;
  out?: string;
  seed?: number;
  backend: BackendChoice;
  json?: boolean;
  force?: boolean;
}

/** A JSON file named on the command line, with repeated keys refused (JSON.parse would keep only the last). */
function readJsonArg(flag: string, path: string): unknown {
  const text = readArgText(flag, path);
  const repeated = duplicateJsonKeys(text);
  if (repeated.length)
    throw new InputError(`${flag} ${path}: the key "${repeated[0]}" appears twice; JSON keeps only the last, so say it once`, { file: path, field: repeated[0] });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${flag} ${path} is not valid JSON: ${(e as Error).message}`, { file: path });
  }
}

const short = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)) : v);

export async function searchCommand(opts: SearchOptions): Promise<void> {
  const raw = readJsonArg('--config', opts.config) as Record<string, unknown>;
  const base = parseExperimentConfig(raw, opts.config);
  const config = opts.seed !== undefined ? { ...raw, seed: opts.seed } : raw;
  const space = readJsonArg('--space', opts.space);
  if (opts.timeout !== undefined && !(opts.timeout > 0)) throw new InputError(`--timeout must be a positive number of seconds, got ${opts.timeout}`);
  const out = (opts.out ?? `runs/${newRunId(`search-${base.name}`)}`).replace(/[\\/]+$/, '');
  const req = {
    config,
    space,
    trials: opts.trials,
    sampler: opts.sampler,
    pruner: opts.pruner,
    keep: opts.keep,
    timeoutSeconds: opts.timeout,
    backend: opts.backend,
    searchId: out,
    trialPrefix: join(out, 'trial-'),
    source: opts.data.startsWith('hf:') ? opts.data : resolve(opts.data),
    overwrite: opts.force,
  };
  // Config, space and --out are checked before the data is read: a typo fails in a second.
  checkSearch({ ...req, datasetId: '' });
  if (existsSync(join(out, 'run.json'))) throw new InputError(`--out ${out} holds a run: a search needs a folder of its own`, { file: out });
  if (existsSync(join(out, SEARCH_FILE)) && !opts.force)
    throw new InputError(`--out ${out} already holds a search: choose another folder, or pass --force to replace it`, { file: out });
  writableRunDir('--out', out);
  const reporter = new Reporter(false);
  const onEvent = (e: LabEvent) => {
    if (e.type !== 'search-trial') return reporter.onEvent(e);
    const t = e.trial;
    const params = JSON.stringify(Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, short(v)])));
    if (t.state === 'running') return reporter.log(`trial ${t.number + 1} of ${e.total}: ${params}`);
    const what = t.state === 'complete' ? `accuracy ${t.value!.toFixed(4)}` : t.state === 'pruned' ? `pruned (${t.reason})` : `failed: ${t.reason}`;
    const best = e.best ? ` | best ${e.best.value!.toFixed(4)} (trial ${e.best.number + 1})` : '';
    const left = e.secondsLeft !== undefined ? ` | ${e.done} of ${e.total} done, ETA ${formatDuration(e.secondsLeft)}` : '';
    reporter.log(`trial ${t.number + 1} ${what} in ${t.seconds.toFixed(1)} s${best}${left}`);
  };
  const lab = createNodeLab({ backend: opts.backend });
  const dataset = await lab.importDataset(requestFor(opts.data), reporter.onEvent);
  const off = onInterrupt(() => void lab.cancel());
  try {
    const outcome = await lab.search({ ...req, datasetId: dataset.id }, onEvent);
    reporter.close();
    if (!opts.json) reporter.log(`best: trial ${outcome.best.number + 1}, validation accuracy ${outcome.best.value!.toFixed(4)}, run ${outcome.bestRunId}`);
    printRecord(outcome, opts.json);
  } finally {
    off();
  }
}
