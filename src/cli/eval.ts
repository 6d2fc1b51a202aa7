import { appendFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readLabelledFile } from '../core/data';
import type { Example } from '../core/data/types';
import { evaluationReport } from '../core/eval/report';
import type { BackendChoice } from '../core/experiment/result';
import { GuardError, InputError } from '../core/util/errors';
import { evaluateTest } from '../core/guard';
import { loadData } from '../platform/node/data-source';
import { ensureGuarded, labStore } from '../platform/node/lab-store';
import { openRun } from './run-model';
import { Reporter } from './reporter';
import { printRecord, readArgFile } from './util';

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
    const bytes = readArgFile('--file', opts.file);
    examples = readLabelledFile({ name: basename(opts.file), bytes }, meta.classes);
    reporter.log(`scoring ${examples.length} examples…`);
    const probs = await model.predictProba(examples.map((e) => e.text));
    model.dispose();
    printRecord(evaluationReport('file', examples.map((e) => e.label), probs, meta.classes), opts.json);
    return;
  }
  const source = result.data.source;
  if (!source) throw new InputError('This run does not record where its data came from, so its test split cannot be found.');
  reporter.log(`loading ${source} to read its test split…`);
  const data = await loadData(source);
  if (data.meta.fingerprint !== result.data.fingerprint)
    throw new GuardError(`The data at ${source} has changed since this run was trained (fingerprint ${data.meta.fingerprint} ≠ ${result.data.fingerprint}): refusing to evaluate on it.`);
  if (data.test.length === 0) throw new InputError(`${source} has no test split`);
  const store = labStore();
  await ensureGuarded(store, data);
  // The guard checks purpose, hashes and budget, logs the access, and only then hands over the split.
  const { result: report, budgetLeft } = await evaluateTest(store, data.meta.id, { purpose: opts.purpose!, caller: 'agnews eval', runId: result.run }, async (test) => {
    reporter.log(`scoring ${test.length} test examples…`);
    const probs = await model.predictProba(test.map((e) => e.text));
    return { ...evaluationReport('test', test.map((e) => e.label), probs, meta.classes) };
  });
  model.dispose();
  const record = { ...report, guard: { budgetLeft, dataset: data.meta.id } };
  appendFileSync(join(root, 'guard-log.jsonl'), JSON.stringify({ at: new Date().toISOString(), caller: 'agnews eval', purpose: opts.purpose, split: 'test', n: report.n, accuracy: report.accuracy, budgetLeft }) + '\n');
  writeFileSync(join(root, `eval-test-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(record, null, 2) + '\n');
  printRecord(record, opts.json);
}
