/** `agnews eval`: a run scored by the lab on a labelled file, on the guarded test split, or for robustness. */
import { basename } from 'node:path';
import type { BackendChoice } from '../core/experiment/result';
import { GuardError, InputError } from '../core/util/errors';
import { createNodeLab } from '../platform/node/node-lab';
import { existingRunDir } from '../platform/node/run-dirs';
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
  const rate = opts.rate ?? 0.1;
  if (opts.robustness && !(rate > 0 && rate <= 1)) throw new InputError(`--rate must be in (0, 1], got ${rate}`);
  existingRunDir('--run', opts.run);
  const reporter = new Reporter(false);
  const lab = createNodeLab({ backend: opts.backend });
  if (opts.file) {
    const file = { name: basename(opts.file), bytes: readArgFile('--file', opts.file) };
    reporter.log(`scoring ${opts.file}…`);
    return printRecord(await lab.evaluateFile(opts.run, file), opts.json);
  }
  if (opts.robustness) {
    reporter.log(`perturbing up to 1000 validation texts (rate ${rate})…`);
    return printRecord(await lab.robustness(opts.run, { rate }), opts.json);
  }
  reporter.log('scoring the test split through the guard…');
  printRecord(await lab.evaluateTest(opts.run, opts.purpose!), opts.json);
}
