import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfigText } from '../core/experiment/config';
import { runExperiment } from '../core/experiment/pipeline';
import type { BackendChoice, BackendInfo } from '../core/experiment/result';
import { PLAIN_TS } from '../core/lab/lab';
import { modelFamily } from '../core/models/registry';
import { RunFolder } from '../core/runs/run-folder';
import { InputError } from '../core/util/errors';
import { selectNodeBackend } from '../platform/node/backend';
import { loadData } from '../platform/node/data-source';
import { FileStore } from '../platform/node/file-store';
import { Reporter } from './reporter';
import { onInterrupt, printRecord } from './util';

export interface TrainOptions {
  config: string;
  data: string;
  out?: string;
  backend: BackendChoice;
  seed?: number;
  browser?: boolean;
  json?: boolean;
}

export async function trainCommand(opts: TrainOptions): Promise<void> {
  let text: string;
  try {
    text = readFileSync(opts.config, 'utf8');
  } catch {
    throw new InputError(`--config ${opts.config}: cannot read the file`, { file: opts.config });
  }
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
  const data = await loadData(opts.data, { onProgress: (p) => reporter.onEvent({ type: 'import-progress', ...p }) });
  const backend: BackendInfo = modelFamily(config.model.type) === 'classical' ? PLAIN_TS : await selectNodeBackend(opts.backend);
  const controller = new AbortController();
  const off = onInterrupt(() => controller.abort());
  try {
    const result = await runExperiment({
      config,
      data,
      run: new RunFolder(new FileStore(out), ''),
      runId,
      backend,
      source,
      signal: controller.signal,
      onEvent: reporter.onEvent,
    });
    reporter.close();
    printRecord(result, opts.json);
  } finally {
    off();
  }
}
