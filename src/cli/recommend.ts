/**
 * `agnews recommend --data PATH --budget 10m [--memory 2GB] [--backend B] [--json]`: the presets
 * that fit the budget on this machine, best first, and why the others do not (the lab's recommend).
 */
import type { BackendChoice } from '../core/experiment/result';
import type { RecommendResult } from '../core/lab/quota-api';
import { bytes, duration } from '../core/estimate/recommend';
import { InputError } from '../core/util/errors';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { Reporter } from './reporter';
import { printRecord } from './util';

export interface RecommendOptions {
  data: string;
  budget: string;
  memory?: string;
  backend?: BackendChoice;
  json?: boolean;
}

const UNITS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600 };

/** `90s`, `10m`, `1.5h` (or a bare number of seconds) in seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h)?$/i.exec(text.trim());
  const seconds = m ? Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()] : NaN;
  if (!(seconds > 0)) throw new InputError(`--budget must be a positive duration such as 60s, 10m or 1h, got "${text}"`);
  return seconds;
}

const SIZES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** `2GB`, `512MiB`, `1.5GiB` (or a bare number of bytes) in bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * SIZES[(m[2] ?? 'b').toLowerCase()] : NaN;
  if (!(n > 0)) throw new InputError(`--memory must be a positive size such as 2GB or 512MiB, got "${text}"`);
  return n;
}

export async function recommendCommand(opts: RecommendOptions): Promise<void> {
  // Checked before the data is read: a bad flag should fail in a second, not after an import.
  const budgetSeconds = parseDuration(opts.budget);
  const memoryBytes = opts.memory === undefined ? undefined : parseSize(opts.memory);
  const reporter = new Reporter(false);
  const lab = createNodeLab({ backend: opts.backend });
  const dataset = await lab.importDataset(requestFor(opts.data), reporter.onEvent);
  reporter.log('estimating the presets (the first time on this machine, each is timed on a few synthetic batches)');
  const result = await lab.recommend({ datasetId: dataset.id, budgetSeconds, memoryBytes, backend: opts.backend });
  reporter.close();
  if (opts.json) return printRecord(result, true);
  process.stdout.write(recommendLines(result, budgetSeconds).join('\n') + '\n');
}

export function recommendLines(r: RecommendResult, budgetSeconds: number): string[] {
  const lines = [r.recommendations.length ? `fits ${duration(budgetSeconds)}, best first:` : `nothing fits ${duration(budgetSeconds)}.`];
  for (const [i, x] of r.recommendations.entries())
    lines.push(
      `${String(i + 1).padStart(2)}. ${x.preset.padEnd(22)} ~${duration(x.estimate.seconds).padEnd(7)} peak ${bytes(x.estimate.peakBytes).padEnd(8)} checkpoint ${bytes(x.estimate.checkpointBytes).padEnd(8)} ${x.why}`,
    );
  if (r.rejected.length) lines.push('', 'does not fit:');
  for (const x of r.rejected) lines.push(`    ${x.preset.padEnd(22)} ${x.reason}`);
  return lines;
}
