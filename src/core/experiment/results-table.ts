/**
 * One table across finished runs: what each run is (model, family, seed, config hash), how good
 * it is (validation and evaluation metrics with their bootstrap intervals) and what it costs
 * (size, training time, speed when measured). Runs that differ only in their seed are grouped,
 * so multi-seed studies report mean ± sample std.
 */
import { configHash, toCsv, type CsvValue } from '../eval/serialize';
import type { EvalFile, EvalSummary, ResultsRow, RunInput } from './results-row';
import { seedStudy } from './seed-study';

export { evalFileSchema } from './results-row';
export type { EvalFile, EvalSummary, ResultsRow, RunInput } from './results-row';

function withoutSeed(config: unknown): unknown {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const { seed: _seed, ...rest } = config as Record<string, unknown>;
  return rest;
}

function summary(file: string, r: EvalFile): EvalSummary {
  return {
    file,
    n: r.n,
    accuracy: r.accuracy,
    ciAccuracy: r.ci95,
    macroF1: r.macroF1,
    ciMacroF1: r.ciMacroF1,
    ece: r.ece,
    ciEce: r.ciEce,
    logLoss: r.logLoss,
    ciLogLoss: r.ciLogLoss,
    brier: r.brier,
    top2: r.top2,
    custom: r.custom?.score,
  };
}

/** One row per run, in the order given. */
export async function resultsTable(runs: RunInput[]): Promise<ResultsRow[]> {
  const rows: ResultsRow[] = [];
  for (const { result, config, evals = [] } of runs) {
    const latest: Record<string, { file: string; report: EvalFile }> = {};
    for (const e of [...evals].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) latest[e.report.split] = e;
    const eff = Object.values(latest)
      .map((e) => e.report.efficiency)
      .filter((x) => x !== undefined)
      .at(-1);
    rows.push({
      run: result.run,
      model: result.model,
      family: result.family,
      seeds: [result.seed],
      configName: result.config,
      configHash: await configHash(config),
      experimentHash: await configHash(withoutSeed(config)),
      backend: result.backend,
      createdAt: result.createdAt,
      validation: { ...result.validation },
      evals: Object.fromEntries(Object.entries(latest).map(([split, e]) => [split, summary(e.file, e.report)])),
      efficiency: {
        parameters: result.parameters,
        modelBytes: result.modelBytes,
        trainSeconds: result.timings.trainSeconds,
        totalSeconds: result.timings.totalSeconds,
        // An explicit evaluation's timing (eval --file/--split) wins over the one taken at training.
        ...result.efficiency,
        ...eff,
      },
    });
  }
  return rows;
}

const EVAL_COLUMNS = [
  'n',
  'accuracy',
  'accuracy_lo',
  'accuracy_hi',
  'macro_f1',
  'macro_f1_lo',
  'macro_f1_hi',
  'ece',
  'ece_lo',
  'ece_hi',
  'log_loss',
  'log_loss_lo',
  'log_loss_hi',
  'brier',
  'top2',
  'custom',
];

function evalCells(e: EvalSummary | undefined): CsvValue[] {
  if (!e) return EVAL_COLUMNS.map(() => undefined);
  return [
    e.n,
    e.accuracy,
    e.ciAccuracy?.[0],
    e.ciAccuracy?.[1],
    e.macroF1,
    e.ciMacroF1?.[0],
    e.ciMacroF1?.[1],
    e.ece,
    e.ciEce?.[0],
    e.ciEce?.[1],
    e.logLoss,
    e.ciLogLoss?.[0],
    e.ciLogLoss?.[1],
    e.brier,
    e.top2,
    e.custom,
  ];
}

/** Flat CSV, one line per run; evaluation columns are prefixed by split ("test_accuracy"). */
export function resultsCsv(rows: ResultsRow[]): string {
  const splits = [...new Set(rows.flatMap((r) => Object.keys(r.evals)))].sort();
  const header = [
    'run',
    'model',
    'family',
    'seeds',
    'config',
    'config_hash',
    'backend',
    'created_at',
    'val_accuracy',
    'val_macro_f1',
    'val_loss',
    ...splits.flatMap((s) => EVAL_COLUMNS.map((c) => `${s}_${c}`)),
    'parameters',
    'model_bytes',
    'train_seconds',
    'total_seconds',
    'texts_per_second',
    'latency_p50_ms',
    'latency_p95_ms',
    'peak_heap_bytes',
    'peak_tensor_bytes',
  ];
  const records = rows.map((r): CsvValue[] => [
    r.run,
    r.model,
    r.family,
    r.seeds.join(';'),
    r.configName,
    r.configHash,
    r.backend,
    r.createdAt,
    r.validation.accuracy,
    r.validation.macroF1,
    r.validation.loss,
    ...splits.flatMap((s) => evalCells(r.evals[s])),
    r.efficiency.parameters,
    r.efficiency.modelBytes,
    r.efficiency.trainSeconds,
    r.efficiency.totalSeconds,
    r.efficiency.textsPerSecond,
    r.efficiency.latencyP50Ms,
    r.efficiency.latencyP95Ms,
    r.efficiency.peakHeapBytes,
    r.efficiency.peakTensorBytes,
  ]);
  return toCsv(header, records);
}

/** The runs, their seed groups and the seed tests as pretty-printed JSON. */
export function resultsJson(rows: ResultsRow[]): string {
  const study = seedStudy(rows);
  return JSON.stringify({ runs: rows, groups: study.groups, seedTests: { metric: study.metric, baseline: study.baseline, tests: study.tests } }, null, 2) + '\n';
}
