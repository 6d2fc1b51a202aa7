/** `agnews sweep`: a config's grid, random points and seeds submitted as queue jobs; waits, shows each job's progress, prints the summary. */
import { resolve } from 'node:path';
import { parseConfigText } from '../core/experiment/config';
import type { EnsembleMethod } from '../core/lab/ensemble-api';
import { InputError } from '../core/util/errors';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { writableRunDir } from '../platform/node/run-dirs';
import { expandSweep, parseGrid, parseSpace } from '../platform/node/queue/expand';
import { submitSweep, waitForSweep, type JobView } from '../platform/node/queue/submit';
import { formatDuration } from './reporter';
import { duplicateJsonKeys, printRecord, readArgText } from './util';

export interface SweepOptions {
  config: string;
  grid?: string[];
  random?: number;
  space?: string;
  seeds?: number;
  data: string;
  queue: string;
  out: string;
  json?: boolean;
  /** Combine the sweep's runs into an ensemble (this method) once they finish. */
  ensemble?: EnsembleMethod;
  /** Order the sweep's runs (as listed) into a cascade once they finish. */
  cascade?: boolean;
  /** A student config distilled from the sweep's best run (or its ensemble or cascade) once they finish. */
  distill?: string;
  alpha?: number;
  temperature?: number;
}

function describe(v: JobView): string {
  const p = v.progress as { phase?: string; step?: number; totalSteps?: number; epoch?: number; totalEpochs?: number; done?: number; total?: number } | number;
  if (v.state === 'failed') return `failed: ${v.failedReason}`;
  if (v.state !== 'active' || typeof p !== 'object' || !p) return `${v.state}${v.attempts ? ` (after ${v.attempts} attempt(s))` : ''}`;
  if (p.step !== undefined)
    return `training, step ${p.step}${p.totalSteps ? ` of ${p.totalSteps}` : ''}${p.epoch !== undefined ? `, epoch ${p.epoch}${p.totalEpochs ? ` of ${p.totalEpochs}` : ''}` : ''}`;
  return `${p.phase ?? 'active'}${p.total ? ` ${p.done} of ${p.total}` : ''}`;
}

export async function sweepCommand(opts: SweepOptions): Promise<void> {
  const text = readArgText('--config', opts.config);
  const repeated = duplicateJsonKeys(text);
  if (repeated.length)
    throw new InputError(`--config ${opts.config}: the key "${repeated[0]}" appears twice; JSON keeps only the last, so say it once`, { file: opts.config, field: repeated[0] });
  const base = parseConfigText(text, opts.config);
  if ((opts.random === undefined) !== (opts.space === undefined)) throw new InputError('--random N and --space FILE go together: N points drawn from the space in FILE');
  const points = expandSweep({
    base,
    grid: opts.grid?.length ? parseGrid(opts.grid) : undefined,
    random: opts.random !== undefined ? { n: opts.random, space: parseSpace(readArgText('--space', opts.space!), opts.space!) } : undefined,
    seeds: opts.seeds ?? 1,
  });
  if (opts.ensemble && opts.cascade) throw new InputError('--ensemble and --cascade each combine the whole sweep: choose one');
  if ((opts.ensemble || opts.cascade) && points.length < 2)
    throw new InputError(`--${opts.ensemble ? 'ensemble' : 'cascade'} needs at least two runs in the sweep; it has ${points.length}`);
  if ((opts.alpha !== undefined || opts.temperature !== undefined) && !opts.distill)
    throw new InputError('--alpha and --temperature set the distillation: they need --distill CONFIG');
  const student = opts.distill !== undefined ? parseConfigText(readArgText('--distill', opts.distill), opts.distill) : undefined;
  writableRunDir('--out', opts.out);
  // The fingerprint travels with every job: each worker checks it sees the very same data.
  const lab = createNodeLab();
  const source = opts.data.startsWith('hf:') ? opts.data : resolve(opts.data);
  const dataset = await lab.importDataset(requestFor(source));
  const out = resolve(opts.out);
  const combine = opts.ensemble ? ({ kind: 'ensemble', method: opts.ensemble } as const) : opts.cascade ? ({ kind: 'cascade' } as const) : undefined;
  const distill = student && { config: student, alpha: opts.alpha, temperature: opts.temperature };
  const sub = await submitSweep(opts.queue, points, { path: source, fingerprint: dataset.fingerprint }, out, combine, distill);
  const log = (line: string) => void process.stderr.write(line + '\n');
  log(`sweep ${sub.sweep}: ${sub.jobs.length} job(s) on ${opts.queue}, run folders under ${out}`);
  const names = new Map(sub.jobs.map((j) => [j.id, j.run.slice(out.length + 1)]));
  const started = Date.now();
  const summary = await waitForSweep(opts.queue, sub, (v, all) => {
    const finished = all.filter((a) => a.state === 'completed' || a.state === 'failed').length;
    const elapsed = (Date.now() - started) / 1000;
    const left = finished > 0 && finished < all.length ? `, about ${formatDuration((elapsed / finished) * (all.length - finished))} left` : '';
    log(`[${finished}/${all.length}${left}] ${names.get(v.id)}: ${describe(v)}`);
  });
  if (opts.json) return printRecord(summary, true);
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const lines = [
    `ranked on validation accuracy (95% bootstrap intervals; "=" marks runs not significantly different from the best, McNemar, Bonferroni-adjusted):`,
    ...summary.ranked.map((r) => `${String(r.rank).padStart(3)}. ${r.tiedWithBest ? '=' : ' '} ${pct(r.accuracy)} [${pct(r.ci95[0])}, ${pct(r.ci95[1])}]  ${r.run}`),
    ...summary.failed.map((f) => `  failed: ${f.run ?? f.jobId}: ${f.reason}`),
    `summary: ${resolve(out, 'summary.json')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
