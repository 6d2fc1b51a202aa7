import { appendFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readLabelledFile } from '../core/data';
import type { Example } from '../core/data/types';
import { evaluationReport } from '../core/eval/report';
import type { BackendChoice } from '../core/experiment/result';
import { GuardError, InputError } from '../core/util/errors';
import { loadData } from '../platform/node/data-source';
import { openRun } from './run-model';
import { Reporter } from './reporter';
import { printRecord } from './util';

export interface EvalOptions {
  run: string;
  split?: 'test';
  purpose?: string;
  file?: string;
  backend: BackendChoice;
  json?: boolean;
}

export async function evalCommand(opts: EvalOptions): Promise<void> {
  if (!!opts.split === !!opts.file) throw new InputError('eval needs exactly one of --split test or --file LABELLED.csv');
  if (opts.split && !opts.purpose?.trim()) throw new GuardError('Reading the test split needs --purpose "why": every test evaluation is logged with its reason.');
  const reporter = new Reporter(false);
  const { model, meta, result, root } = await openRun(opts.run, opts.backend);
  let examples: Example[];
  if (opts.file) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(opts.file));
    } catch {
      throw new InputError(`--file ${opts.file}: cannot read the file`, { file: opts.file });
    }
    examples = readLabelledFile({ name: basename(opts.file), bytes }, meta.classes);
  } else {
    const source = result.data.source;
    if (!source) throw new InputError('This run does not record where its data came from, so its test split cannot be found.');
    reporter.log(`loading ${source} to read its test split…`);
    const data = await loadData(source);
    if (data.meta.fingerprint !== result.data.fingerprint)
      throw new GuardError(`The data at ${source} has changed since this run was trained (fingerprint ${data.meta.fingerprint} ≠ ${result.data.fingerprint}): refusing to evaluate on it.`);
    examples = data.test;
    if (examples.length === 0) throw new InputError(`${source} has no test split`);
    appendFileSync(join(root, 'guard-log.jsonl'), JSON.stringify({ at: new Date().toISOString(), caller: 'agnews eval', purpose: opts.purpose, split: 'test', n: examples.length }) + '\n');
  }
  reporter.log(`scoring ${examples.length} examples…`);
  const probs = await model.predictProba(examples.map((e) => e.text));
  model.dispose();
  const report = evaluationReport(opts.split ? 'test' : 'file', examples.map((e) => e.label), probs, meta.classes);
  printRecord(report, opts.json);
}
