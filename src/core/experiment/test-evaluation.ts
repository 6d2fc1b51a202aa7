/**
 * A finished run scored on its dataset's test split, through the guard: purpose required,
 * hashes verified, one unit of budget spent, the attempt logged. The report lands in the run
 * as `eval-test-<time>.json`, the same file `agnews eval --split test` writes in a run folder.
 */
import type { EvalReport } from '../eval/report';
import { evaluateTest } from '../guard';
import { loadEstimator } from '../models/registry';
import { RunFolder } from '../runs/run-folder';
import type { BlobStore } from '../storage/port';
import { LabError, NotFoundError } from '../util/errors';
import { scoreExamples } from './analysis';

export type TestEvaluation = EvalReport & {
  guard: { budgetLeft: number; dataset: string };
  efficiency: { textsPerSecond: number; latencyP50Ms: number; latencyP95Ms: number };
  runId: string;
  purpose: string;
  file: string;
  at: string;
};

export async function evaluateRunOnTest(store: BlobStore, runId: string, purpose: string, caller: string): Promise<TestEvaluation> {
  const run = RunFolder.inStore(store, runId);
  const meta = await run.meta();
  if (!meta) throw new NotFoundError(`No run ${runId}`);
  if (meta.status !== 'done') throw new LabError(`Run ${runId} has not finished (status "${meta.status}"): only a finished model is scored on the test split.`);
  const model = loadEstimator(await run.loadModel());
  try {
    const { result, budgetLeft } = await evaluateTest(store, meta.datasetId, { purpose, caller, runId }, (test) => scoreExamples(model, 'test', test, meta.classes));
    const at = new Date().toISOString();
    const file = `eval-test-${at.replace(/[:.]/g, '-')}.json`;
    const record: TestEvaluation = { ...result, guard: { budgetLeft, dataset: meta.datasetId }, runId, purpose: purpose.trim(), file, at };
    await run.writeJson(file, record);
    return record;
  } finally {
    model.dispose();
  }
}
