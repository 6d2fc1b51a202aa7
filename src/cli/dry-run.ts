/**
 * `agnews train --config X --dry-run [--json]`: what the run would cost (the lab's estimate) and
 * whether the guard would let it start, with nothing trained and no run folder written.
 */
import type { ExperimentConfig } from '../core/experiment/config';
import type { BackendChoice } from '../core/experiment/result';
import type { RunEstimate } from '../core/lab/quota-api';
import { bytes, duration } from '../core/estimate/recommend';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { Reporter } from './reporter';
import { printRecord } from './util';

export async function dryRunCommand(config: ExperimentConfig, opts: { data: string; backend?: BackendChoice; json?: boolean }): Promise<void> {
  const reporter = new Reporter(false);
  const lab = createNodeLab({ backend: opts.backend });
  const dataset = await lab.importDataset(requestFor(opts.data), reporter.onEvent);
  const estimate = await lab.estimate({ datasetId: dataset.id, config: await lab.withAssets(config), backend: opts.backend });
  reporter.close();
  const record = { dryRun: true, config: config.name, data: dataset.id, estimate, guard: estimate.problems.length ? 'refused' : 'would start' };
  if (opts.json) return printRecord(record, true);
  process.stdout.write(dryRunLines(config.name, estimate).join('\n') + '\n');
}

export function dryRunLines(name: string, e: RunEstimate): string[] {
  return [
    `${name}: ${e.model} on ${e.backend}, nothing trained (--dry-run)`,
    `parameters   ${e.parameters.toLocaleString('en')}${e.trainableParameters !== e.parameters ? ` (${e.trainableParameters.toLocaleString('en')} trained)` : ''}`,
    `peak memory  ${bytes(e.peakBytes)}`,
    `checkpoint   ${bytes(e.checkpointBytes)}`,
    `time         ~${duration(e.seconds)} in all: ${e.epochs} epoch${e.epochs === 1 ? '' : 's'} of ${e.trainExamples.toLocaleString('en')} examples at ~${duration(e.secondsPerEpoch)} each, with validation`,
    `basis        ${e.basis}`,
    e.problems.length ? `guard        refuses it:\n${e.problems.map((p) => `  - ${p}`).join('\n')}` : 'guard        would let it start',
  ];
}
