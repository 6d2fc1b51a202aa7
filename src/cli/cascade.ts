/** `agnews cascade`: run folders, cheapest first and strongest last, made a cascade run by the lab. */
import { resolve } from 'node:path';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { expandRunDirs } from '../platform/node/run-dirs';
import { compositeRun } from './ensemble';

export interface CascadeOptions {
  runs: string[];
  targetAccuracy?: number;
  maxEscalation?: number;
  out: string;
  backend: BackendChoice;
  force?: boolean;
  json?: boolean;
}

export async function cascadeCommand(opts: CascadeOptions): Promise<void> {
  // Order is the cascade: a folder holding several runs has none, so each member is named.
  const members = opts.runs.map((d) => {
    const found = expandRunDirs('--runs', [d]);
    if (found.length !== 1 || found[0] !== d) throw new InputError(`--runs ${d} holds several runs: a cascade needs each run folder named, cheapest first`, { file: d });
    return resolve(d);
  });
  if (opts.targetAccuracy !== undefined && opts.maxEscalation !== undefined) throw new InputError('give --target-accuracy or --max-escalation, not both');
  const target = opts.targetAccuracy !== undefined ? { keepAccuracy: opts.targetAccuracy } : opts.maxEscalation !== undefined ? { maxEscalation: opts.maxEscalation } : undefined;
  await compositeRun(members, opts, (lab, datasetId, onEvent) => lab.cascade({ datasetId, members, target, runId: opts.out, overwrite: opts.force }, onEvent));
}
