/**
 * A finished run scored on its dataset's test split, through the guard: purpose required,
 * hashes verified, one unit of budget spent, the attempt logged in the guard's access log of
 * the lab's store. One record shape wherever the run lives (the page's store or a run folder
 * on disk): `eval-test-<time>.json` in the run, with the run id, purpose, time and budget left.
 */
import type { EvalReport } from '../eval/report';
import { evaluateTest } from '../guard';
import type { Predictor } from '../eval/efficiency';
import type { RunFolder, RunMeta } from '../runs/run-folder';
import type { BlobStore } from '../storage/port';
import { scoreExamples } from './analysis';

export type TestEvaluation = EvalReport & {
  guard: { budgetLeft: number; dataset: string };
  efficiency: { textsPerSecond: number; latencyP50Ms: number; latencyP95Ms: number };
  runId: string;
  purpose: string;
  file: string;
  at: string;
};

export interface TestSubject {
  runId: string;
  run: RunFolder;
  meta: RunMeta;
  model: Predictor;
}

/** `guardStore` holds the dataset and its guard; the record goes into the run, wherever it lives. */
export async function evaluateRunOnTest(guardStore: BlobStore, subject: TestSubject, purpose: string, caller: string): Promise<TestEvaluation> {
  const { runId, run, meta, model } = subject;
  const { result, budgetLeft } = await evaluateTest(guardStore, meta.datasetId, { purpose, caller, runId }, (test) => scoreExamples(model, 'test', test, meta.classes));
  const at = new Date().toISOString();
  const file = `eval-test-${at.replace(/[:.]/g, '-')}.json`;
  const record: TestEvaluation = { ...result, guard: { budgetLeft, dataset: meta.datasetId }, runId, purpose: purpose.trim(), file, at };
  await run.writeJson(file, record);
  return record;
}
