import { appendFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readLabelledFile } from '../core/data';
import type { Example } from '../core/data/types';
import { robustnessReport } from '../core/eval/robustness';
import { scoreExamples } from '../core/experiment/analysis';
import type { ResultRecord } from '../core/experiment/result';
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
  /** Accuracy on perturbed copies of the run's validation texts instead of a score. */
  robustness?: boolean;
  rate?: number;
  backend: BackendChoice;
  json?: boolean;
}

export async function evalCommand(opts: EvalOptions): Promise<void> {
  if ([opts.split, opts.file, opts.robustness].filter(Boolean).length !== 1) throw new InputError('eval needs exactly one of --split test, --file LABELLED.csv or --robustness');
  if (opts.split && !opts.purpose?.trim()) throw new GuardError('Reading the test split needs --purpose "why": every test evaluation is logged with its reason.');
  const reporter = new Reporter(false);
  const { model, meta, result, root } = await openRun(opts.run, opts.backend);
  let examples: Example[];
  if (opts.file) {
    const bytes = readArgFile('--file', opts.file);
    examples = readLabelledFile({ name: basename(opts.file), bytes }, meta.classes);
    reporter.log(`scoring ${examples.length} examples…`);
    const record = { ...(await scoreExamples(model, 'file', examples, meta.classes)), file: basename(opts.file) };
    model.dispose();
    writeFileSync(join(root, `eval-file-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(record, null, 2) + '\n');
    printRecord(record, opts.json);
    return;
  }
  if (opts.robustness) {
    const data = await sourceData(result, reporter);
    const rate = opts.rate ?? 0.1;
    if (!(rate > 0 && rate <= 1)) throw new InputError(`--rate must be in (0, 1], got ${rate}`);
    reporter.log(`perturbing ${Math.min(1000, data.validation.length)} validation texts (rate ${rate})…`);
    const report = await robustnessReport(model, data.validation.slice(0, 1000), { seed: 1, rate });
    model.dispose();
    writeFileSync(join(root, 'robustness.json'), JSON.stringify(report, null, 2) + '\n');
    printRecord(report, opts.json);
    return;
  }
  const data = await sourceData(result, reporter);
  if (data.test.length === 0) throw new InputError(`${result.data.source} has no test split`);
  const store = labStore();
  await ensureGuarded(store, data);
  // The guard checks purpose, hashes and budget, logs the access, and only then hands over the split.
  const { result: report, budgetLeft } = await evaluateTest(store, data.meta.id, { purpose: opts.purpose!, caller: 'agnews eval', runId: result.run }, async (test) => {
    reporter.log(`scoring ${test.length} test examples…`);
    return scoreExamples(model, 'test', test, meta.classes);
  });
  model.dispose();
  const record = { ...report, guard: { budgetLeft, dataset: data.meta.id } };
  appendFileSync(join(root, 'guard-log.jsonl'), JSON.stringify({ at: new Date().toISOString(), caller: 'agnews eval', purpose: opts.purpose, split: 'test', n: report.n, accuracy: report.accuracy, budgetLeft }) + '\n');
  writeFileSync(join(root, `eval-test-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(record, null, 2) + '\n');
  printRecord(record, opts.json);
}

/** The run's own data, reloaded from where it came from, refused if it changed since training. */
async function sourceData(result: ResultRecord, reporter: Reporter) {
  const source = result.data.source;
  if (!source) throw new InputError('This run does not record where its data came from, so its splits cannot be found.');
  reporter.log(`loading ${source}…`);
  const data = await loadData(source);
  if (data.meta.fingerprint !== result.data.fingerprint)
    throw new GuardError(`The data at ${source} has changed since this run was trained (fingerprint ${data.meta.fingerprint} ≠ ${result.data.fingerprint}): refusing to evaluate on it.`);
  return data;
}
