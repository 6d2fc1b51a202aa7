/**
 * One config repeated over seeds, summed up: mean ± sample std of each headline figure, with
 * the per-seed records, so the terminal's `train --seeds N` and any later caller report alike.
 */
import { aggregateSeeds, formatMeanStd } from '../eval/significance';
import type { ResultRecord } from '../experiment/result';

export function seedSummary(results: ResultRecord[]) {
  const agg = (f: (r: ResultRecord) => number | undefined) => aggregateSeeds(results.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x)));
  const accuracy = agg((r) => r.validation.accuracy);
  const macroF1 = agg((r) => r.validation.macroF1);
  return {
    model: results[0].model,
    config: results[0].config,
    seeds: results.map((r) => r.seed),
    validation: { accuracy, macroF1, loss: agg((r) => r.validation.loss) },
    trainSeconds: agg((r) => r.timings.trainSeconds),
    summary: `validation accuracy ${formatMeanStd(accuracy)}, macro-F1 ${formatMeanStd(macroF1)} over ${results.length} seeds`,
    runs: results,
  };
}
