/**
 * Runs repeated over seeds: each configuration's mean ± std (from groupBySeeds), and every
 * multi-seed configuration tested against the first one with a paired t-test over the seeds
 * they share, Bonferroni-adjusted for the number of configurations compared.
 */
import type { ModelFamily } from '../models/estimator';
import type { ResultsRow } from './results-row';
import { aggregateSeeds, bonferroni, pairedTTest, type PairedTTestResult, type SeedAggregate } from '../eval/significance';

const ALPHA = 0.05;

export interface SeedGroup {
  experimentHash: string;
  model: string;
  family: ModelFamily;
  runs: string[];
  seeds: number[];
  /** Keyed "validation.accuracy", "test.macroF1", "efficiency.trainSeconds", ... over the runs that have it. */
  metrics: Record<string, SeedAggregate>;
}

function numericLeaves(row: ResultsRow): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(row.validation)) if (typeof v === 'number') out[`validation.${k}`] = v;
  for (const [split, e] of Object.entries(row.evals))
    for (const k of ['accuracy', 'macroF1', 'ece', 'logLoss', 'brier', 'top2', 'custom'] as const) if (e[k] !== undefined) out[`${split}.${k}`] = e[k];
  for (const [k, v] of Object.entries(row.efficiency)) if (typeof v === 'number') out[`efficiency.${k}`] = v;
  return out;
}

/** Runs sharing model and experiment hash, aggregated as mean ± sample std; first-seen order. */
export function groupBySeeds(rows: ResultsRow[]): SeedGroup[] {
  const groups = new Map<string, ResultsRow[]>();
  for (const r of rows) {
    const key = `${r.model}\u0000${r.experimentHash}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((members) => {
    const values: Record<string, number[]> = {};
    for (const m of members) for (const [k, v] of Object.entries(numericLeaves(m))) (values[k] ??= []).push(v);
    return {
      experimentHash: members[0].experimentHash,
      model: members[0].model,
      family: members[0].family,
      runs: members.map((m) => m.run),
      seeds: members.flatMap((m) => m.seeds),
      metrics: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, aggregateSeeds(v)])),
    };
  });
}

export interface SeedTest extends PairedTTestResult {
  configName: string;
  experimentHash: string;
  adjustedP: number;
  significant: boolean;
}

export interface SeedStudy {
  metric: 'validation.accuracy';
  groups: SeedGroup[];
  /** Configuration of the baseline group (the first with two or more seeds). */
  baseline?: string;
  tests: SeedTest[];
}

export function seedStudy(rows: ResultsRow[]): SeedStudy {
  const groups = groupBySeeds(rows);
  const study: SeedStudy = { metric: 'validation.accuracy', groups, tests: [] };
  const multi = groups.filter((g) => g.runs.length >= 2);
  if (multi.length < 2) return study;
  const byRun = new Map(rows.map((r) => [r.run, r]));
  const accBySeed = (g: SeedGroup) => new Map(g.runs.map((run, i) => [g.seeds[i], byRun.get(run)!.validation.accuracy]));
  const [base, ...others] = multi;
  const baseAcc = accBySeed(base);
  study.baseline = byRun.get(base.runs[0])!.configName;
  // Seed s of a model is paired with seed s of the baseline: same data order, same init draw.
  const tested = others.flatMap((g) => {
    const acc = accBySeed(g);
    const seeds = [...acc.keys()].filter((s) => baseAcc.has(s)).sort((a, b) => a - b);
    if (seeds.length < 2) return [];
    const t = pairedTTest(
      seeds.map((s) => acc.get(s)!),
      seeds.map((s) => baseAcc.get(s)!),
    );
    return [{ ...t, configName: byRun.get(g.runs[0])!.configName, experimentHash: g.experimentHash }];
  });
  const adjusted = bonferroni(tested.map((t) => t.pValue));
  study.tests = tested.map((t, i) => ({ ...t, adjustedP: adjusted[i], significant: adjusted[i] < ALPHA }));
  return study;
}
