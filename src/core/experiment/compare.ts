/**
 * "Is run A really better than run B, and at what cost?" for any set of finished runs:
 * each run's headline metrics with bootstrap intervals, pairwise tests on the validation
 * examples both runs predicted (McNemar's exact test and a paired bootstrap of the accuracy
 * difference, Bonferroni-adjusted over the pairs), and, for runs repeated over seeds, mean ±
 * std with paired t-tests against the first multi-seed group.
 */
import { pairedBootstrap, type PairedBootstrapResult } from '../eval/bootstrap';
import type { EvalReport } from '../eval/report';
import { resultsTable, type ResultsRow, type RunInput } from './results-table';
import { seedStudy, type SeedStudy } from './seed-study';
import { bonferroni, mcnemar, type McNemarResult } from '../eval/significance';
import { readFinishedRun } from '../runs/finished-run';
import type { RunHome } from '../runs/run-home';
import { LabError } from '../util/errors';
import type { SplitPredictions, ValidationAnalysis } from './analysis';
import type { ResultRecord } from './result';

const ALPHA = 0.05;

export interface CompareEntry {
  runId: string;
  configName: string;
  datasetId: string;
  classes: string[];
  result: ResultRecord;
  /** The validation report written at the end of training (absent for runs older than it). */
  validation?: Omit<ValidationAnalysis, 'misclassified' | 'confusedPairs'>;
  /** The latest guarded test evaluation, if the run has one. */
  test?: EvalReport;
}

export interface PairTest {
  a: string;
  b: string;
  n: number;
  mcnemar: McNemarResult;
  bootstrap: PairedBootstrapResult;
  /** McNemar's p times the number of pairs tested (capped at 1). */
  adjustedP: number;
  significant: boolean;
}

export interface Comparison {
  runs: CompareEntry[];
  pairs: PairTest[];
  /** Pairs that could not be tested, and why (different validation examples, no predictions). */
  untested: { a: string; b: string; reason: string }[];
  seeds: SeedStudy;
  rows: ResultsRow[];
}

/** A finished run through the strict reader, plus its raw evaluation files (the analysis keeps fields the table's schema drops). */
async function loadRun(home: RunHome, runId: string) {
  const run = home.folder(runId);
  const finished = await readFinishedRun(run, runId);
  const reports = new Map<string, unknown>();
  for (const { file } of finished.evals) reports.set(file, await run.readJson(file));
  const input: RunInput = { result: finished.result, config: finished.config, evals: finished.evals };
  return { run, meta: finished.meta, input, reports };
}

async function entryOf({ run, meta, input, reports }: Awaited<ReturnType<typeof loadRun>>): Promise<{ entry: CompareEntry; predictions?: SplitPredictions }> {
  const analysis = reports.get('eval-validation.json') as ValidationAnalysis | undefined;
  const validation = analysis ? (({ misclassified: _m, confusedPairs: _c, ...rest }) => rest)(analysis) : undefined;
  // File names sort by their timestamps: the last test evaluation is the latest.
  const tests = [...reports.keys()].filter((n) => n.startsWith('eval-test-'));
  const test = tests.length ? (reports.get(tests[tests.length - 1]) as EvalReport) : undefined;
  return {
    entry: { runId: meta.runId, configName: meta.configName, datasetId: meta.datasetId, classes: meta.classes, result: input.result, validation, test },
    predictions: await run.readJson<SplitPredictions>('predictions-validation.json'),
  };
}

export async function compareRuns(home: RunHome, runIds: string[]): Promise<Comparison> {
  if (runIds.length === 0) throw new LabError('Pick at least one finished run to compare.');
  const runs = await Promise.all(runIds.map((id) => loadRun(home, id)));
  const inputs = runs.map((r) => r.input);
  const loaded = await Promise.all(runs.map(entryOf));
  const entries = loaded.map((l) => l.entry);
  const candidates: { i: number; j: number; labels: number[]; a: number[]; b: number[] }[] = [];
  const untested: Comparison['untested'] = [];
  for (let i = 0; i < loaded.length; i++)
    for (let j = i + 1; j < loaded.length; j++) {
      const [a, b] = [loaded[i].predictions, loaded[j].predictions];
      const pair = { a: runIds[i], b: runIds[j] };
      if (!a || !b) untested.push({ ...pair, reason: 'no stored validation predictions (run older than this feature)' });
      else if (a.idsHash !== b.idsHash) untested.push({ ...pair, reason: 'the runs were scored on different validation examples (different dataset, split or subset)' });
      else candidates.push({ i, j, labels: a.labels, a: a.predicted, b: b.predicted });
    }
  const raw = candidates.map((c) => ({
    c,
    m: mcnemar(c.labels, c.a, c.b),
    boot: pairedBootstrap(c.labels, c.a, c.b, entries[c.i].classes.length, { seed: 1, resamples: 1000 }),
  }));
  const adjusted = bonferroni(raw.map((r) => r.m.pValue));
  const pairs = raw.map(({ c, m, boot }, k) => ({
    a: runIds[c.i],
    b: runIds[c.j],
    n: c.labels.length,
    mcnemar: m,
    bootstrap: boot,
    adjustedP: adjusted[k],
    significant: adjusted[k] < ALPHA,
  }));
  const rows = await resultsTable(inputs);
  return { runs: entries, pairs, untested, seeds: seedStudy(rows), rows };
}
