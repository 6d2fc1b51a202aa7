/**
 * The overfitting chart's rows: per epoch, the train and validation value of one metric and
 * the band between them (the generalisation gap the dashboard shades). From a stored run's
 * metric rows or from the live run's epoch points; epochs without a training value (classical
 * models log only a validation score) are dropped, since a gap needs both sides.
 */
import type { MetricRow } from '../../core/experiment/result';

export interface GapRow {
  epoch: number;
  step: number;
  train: number;
  validation: number;
  /** [lower, upper]: recharts draws a range area from a two-element value. */
  band: [number, number];
  /** validation - train for loss, train - validation for accuracy: positive means overfitting. */
  gap: number;
}

export type GapMetric = 'loss' | 'accuracy';

interface EpochValues {
  epoch: number;
  step: number;
  trainLoss?: number;
  trainAccuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function gapRows(epochs: EpochValues[], metric: GapMetric): GapRow[] {
  const out: GapRow[] = [];
  for (const e of epochs) {
    const train = metric === 'loss' ? e.trainLoss : e.trainAccuracy;
    const validation = metric === 'loss' ? e.valLoss : e.valAccuracy;
    if (!finite(train) || !finite(validation)) continue;
    out.push({
      epoch: e.epoch,
      step: e.step,
      train,
      validation,
      band: [Math.min(train, validation), Math.max(train, validation)],
      gap: metric === 'loss' ? validation - train : train - validation,
    });
  }
  return out;
}

/** Epoch values from a stored run's metrics.jsonl rows. */
export function epochsFromMetrics(rows: MetricRow[]): EpochValues[] {
  return rows
    .filter((r) => r.kind === 'epoch')
    .map((r) => ({
      epoch: r.epoch,
      step: r.step,
      trainLoss: r.loss as number | undefined,
      trainAccuracy: r.accuracy as number | undefined,
      valLoss: r.val_loss as number | undefined,
      valAccuracy: r.val_accuracy as number | undefined,
    }));
}
