/**
 * `agnews ensemble`: finished run folders combined into an ensemble run by the lab. The member
 * folders are referenced by their full path (the run folder stores no copy of their models), so
 * the ensemble's folder opens again from anywhere as long as its members stay where they are.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendChoice, ResultRecord } from '../core/experiment/result';
import type { LabEvent } from '../core/lab/api';
import type { EnsembleCalibration, EnsembleMethod } from '../core/lab/ensemble-api';
import type { Lab } from '../core/lab/lab';
import { InputError } from '../core/util/errors';
import { createNodeLab } from '../platform/node/node-lab';
import { expandRunDirs, writableRunDir } from '../platform/node/run-dirs';
import { Reporter } from './reporter';
import { onInterrupt, printRecord } from './util';

export interface EnsembleOptions {
  runs: string[];
  method: EnsembleMethod;
  select?: number;
  calibrate?: EnsembleCalibration;
  out: string;
  backend: BackendChoice;
  force?: boolean;
  json?: boolean;
}

/** Checks `--out` before any work, opens the lab, and runs `make` with the members' dataset; prints the record. */
export async function compositeRun(
  members: string[],
  opts: { out: string; backend: BackendChoice; force?: boolean; json?: boolean },
  make: (lab: Lab, datasetId: string, onEvent: (e: LabEvent) => void) => Promise<ResultRecord>,
): Promise<void> {
  if (existsSync(join(opts.out, 'run.json')) && !opts.force)
    throw new InputError(`--out ${opts.out} already holds a run: choose another folder, or pass --force to replace it`, { file: opts.out });
  writableRunDir('--out', opts.out);
  const lab = createNodeLab({ backend: opts.backend });
  const { datasetId } = await lab.getRun(members[0]);
  const reporter = new Reporter(false);
  const off = onInterrupt(() => void lab.cancel());
  try {
    const result = await make(lab, datasetId, reporter.onEvent);
    reporter.close();
    printRecord(result, opts.json);
  } finally {
    off();
  }
}

export async function ensembleCommand(opts: EnsembleOptions): Promise<void> {
  const members = expandRunDirs('--runs', opts.runs).map((d) => resolve(d));
  await compositeRun(members, opts, (lab, datasetId, onEvent) =>
    lab.ensemble({ datasetId, members, method: opts.method, select: opts.select, calibrate: opts.calibrate, runId: opts.out, overwrite: opts.force }, onEvent),
  );
}
