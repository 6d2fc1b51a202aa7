import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, logLoss, macroF1, perClass } from './metrics';

describe('metrics', () => {
  // Hand-computed: y = [0,0,1,1,2,2], p = [0,1,1,1,2,0]
  const y = [0, 0, 1, 1, 2, 2];
  const p = [0, 1, 1, 1, 2, 0];
  it('accuracy and confusion matrix', () => {
    expect(accuracy(y, p)).toBeCloseTo(4 / 6);
    expect(confusionMatrix(y, p, 3)).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
  });
  it('per-class and macro F1 match the hand-computed values', () => {
    const pc = perClass(y, p, 3);
    // class 0: P=1/2 R=1/2 F1=1/2; class 1: P=2/3 R=1 F1=0.8; class 2: P=1 R=1/2 F1=2/3
    expect(pc.map((c) => c.f1)).toEqual([0.5, expect.closeTo(0.8, 10), expect.closeTo(2 / 3, 10)]);
    expect(macroF1(y, p, 3)).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 10);
  });
  it('log loss clips at 1e-15', () => {
    expect(logLoss([0, 1], [[0.5, 0.5], [1, 0]])).toBeCloseTo((Math.log(2) - Math.log(1e-15)) / 2, 8);
  });
});
