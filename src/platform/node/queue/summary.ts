/**
 * `DIR/summary.json`: a sweep's runs ranked on validation (the test split is never read by a
 * search: the guard's `search` phase), each with its bootstrap 95% interval, the pairwise tests
 * of the lab's `compare` (McNemar, Bonferroni-adjusted over the pairs; paired bootstrap of the
 * accuracy difference) and, over seeds, each configuration's mean ± std with paired t-tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../../core/lab/lab';
import type { Interval } from '../../../core/eval/bootstrap';
import type { SummaryJob } from './job';

export interface RankedRun {
  rank: number;
  jobId: string;
  run: string;
  params: Record<string, unknown>;
  seed: number;
  accuracy: number;
  ci95: Interval;
  macroF1: number;
  /** False when the difference from the best run is significant (adjusted McNemar p < 0.05). */
  tiedWithBest: boolean;
}

export interface SweepSummary {
  sweep: string;
  phase: 'search';
  metric: 'validation.accuracy';
  ranked: RankedRun[];
  /** Every pair of runs: accuracy difference a - b with its paired-bootstrap interval, McNemar p and the adjusted p. */
  pairs: { a: string; b: string; n: number; delta: number; ci95: Interval; p: number; adjustedP: number; significant: boolean }[];
  /** Settings repeated over seeds: mean ± std of validation accuracy, best first, and paired t-tests against the first group. */
  configs: { params: Record<string, unknown>; runs: string[]; seeds: number[]; mean: number; std: number }[];
  seedTests: { configName: string; meanDiff: number; p: number; adjustedP: number; significant: boolean }[];
  failed: { jobId: string; run?: string; reason: string }[];
  createdAt: string;
}

export async function writeSweepSummary(lab: Lab, job: SummaryJob, doneIds: string[], failed: { jobId: string; reason: string }[]): Promise<SweepSummary> {
  const done = doneIds.filter((id) => job.runs[id]).map((id) => ({ jobId: id, ...job.runs[id] }));
  const cmp = done.length ? await lab.compare(done.map((d) => d.run)) : undefined;
  const byRun = new Map(done.map((d) => [d.run, d]));
  const entries = (cmp?.runs ?? []).map((r, i) => ({ ...done[i], result: r.result, validation: r.validation }));
  entries.sort((a, b) => b.result.validation.accuracy - a.result.validation.accuracy || a.run.localeCompare(b.run));
  const best = entries[0]?.run;
  const pairs = (cmp?.pairs ?? []).map((p) => ({
    a: p.a,
    b: p.b,
    n: p.n,
    delta: p.bootstrap.delta,
    ci95: p.bootstrap.ci,
    p: p.mcnemar.pValue,
    adjustedP: p.adjustedP,
    significant: p.significant,
  }));
  const differsFromBest = (run: string) => pairs.some((p) => p.significant && ((p.a === best && p.b === run) || (p.b === best && p.a === run)));
  const ranked: RankedRun[] = entries.map((e, i) => ({
    rank: i + 1,
    jobId: e.jobId,
    run: e.run,
    params: e.params,
    seed: e.seed,
    accuracy: e.result.validation.accuracy,
    ci95: e.validation?.ci95 ?? [NaN, NaN],
    macroF1: e.result.validation.macroF1,
    tiedWithBest: !differsFromBest(e.run),
  }));
  const configs = (cmp?.seeds.groups ?? [])
    .map((g) => ({
      params: byRun.get(g.runs[0])?.params ?? {},
      runs: g.runs,
      seeds: g.seeds,
      mean: g.metrics['validation.accuracy'].mean,
      std: g.metrics['validation.accuracy'].std,
    }))
    .sort((a, b) => b.mean - a.mean);
  const summary: SweepSummary = {
    sweep: job.sweep,
    phase: 'search',
    metric: 'validation.accuracy',
    ranked,
    pairs,
    configs,
    seedTests: (cmp?.seeds.tests ?? []).map((t) => ({ configName: t.configName, meanDiff: t.meanDiff, p: t.pValue, adjustedP: t.adjustedP, significant: t.significant })),
    failed: failed.map((f) => ({ ...f, run: job.runs[f.jobId]?.run })),
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(job.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
