import { describe, expect, it } from 'vitest';
import { analyseValidation } from './analysis';
import { calibrationReport } from '../eval/calibration';

const classes = ['a', 'b'];
const validation = [
  { id: 'v1', text: 'one', label: 0 },
  { id: 'v2', text: 'two', label: 1 },
  { id: 'v3', text: 'three', label: 1 },
];
const probs = [Float32Array.of(0.8, 0.2), Float32Array.of(0.3, 0.7), Float32Array.of(0.6, 0.4)];

describe('analyseValidation', () => {
  it('adds the calibration effect only for models with a calibration map', async () => {
    const plain = await analyseValidation(validation, probs, classes, 1);
    expect(plain.report.calibration).toBeUndefined();
    const before = [Float32Array.of(0.99, 0.01), Float32Array.of(0.05, 0.95), Float32Array.of(0.97, 0.03)];
    const { report, predictions } = await analyseValidation(validation, probs, classes, 1, { method: 'sigmoid', before: 'softmax of the scores', probs: before });
    expect(report.calibration).toEqual({ method: 'sigmoid', before: 'softmax of the scores', ...calibrationReport(before, probs, [0, 1, 1]) });
    expect(report.calibration!.logLossAfter).toBeLessThan(report.calibration!.logLossBefore);
    expect(predictions.predicted).toEqual([0, 1, 0]);
  });
});
