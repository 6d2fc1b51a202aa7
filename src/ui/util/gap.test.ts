import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../../core/experiment/result';
import { epochsFromMetrics, gapRows } from './gap';

const rows: MetricRow[] = [
  { kind: 'step', step: 1, epoch: 1, loss: 1.2 },
  { kind: 'epoch', step: 10, epoch: 1, loss: 1.0, accuracy: 0.6, val_loss: 1.1, val_accuracy: 0.55 },
  { kind: 'epoch', step: 20, epoch: 2, loss: 0.2, accuracy: 0.97, val_loss: 1.4, val_accuracy: 0.5 },
  // A classical model's single row: no training value, so no gap.
  { kind: 'epoch', step: 30, epoch: 3, loss: NaN, accuracy: NaN, val_loss: 0.5, val_accuracy: 0.9 },
];

describe('gapRows', () => {
  it('pairs train and validation per epoch with the band between them', () => {
    const loss = gapRows(epochsFromMetrics(rows), 'loss');
    expect(loss.map((r) => r.epoch)).toEqual([1, 2]);
    expect(loss[1]).toMatchObject({ train: 0.2, validation: 1.4, band: [0.2, 1.4], step: 20 });
    expect(loss[1].gap).toBeCloseTo(1.2, 12);
    const acc = gapRows(epochsFromMetrics(rows), 'accuracy');
    expect(acc[0].gap).toBeCloseTo(0.05, 12);
    expect(acc[1]).toMatchObject({ band: [0.5, 0.97] });
    expect(acc[1].gap).toBeCloseTo(0.47, 12);
  });
});
