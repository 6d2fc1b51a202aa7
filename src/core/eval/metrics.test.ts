import { describe, expect, it } from 'vitest';
import { accuracy, brierScore, confusionMatrix, logLoss, macroF1, macroF1FromConfusion, macroScores, perClass, topKAccuracy, trueClassRank } from './metrics';

describe('metrics', () => {
  // Hand-computed: y = [0,0,1,1,2,2], p = [0,1,1,1,2,0]
  const y = [0, 0, 1, 1, 2, 2];
  const p = [0, 1, 1, 1, 2, 0];
  it('accuracy and confusion matrix', () => {
    expect(accuracy(y, p)).toBeCloseTo(4 / 6);
    expect(confusionMatrix(y, p, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
  });
  it('per-class and macro F1 match the hand-computed values', () => {
    const pc = perClass(y, p, 3);
    // class 0: P=1/2 R=1/2 F1=1/2; class 1: P=2/3 R=1 F1=0.8; class 2: P=1 R=1/2 F1=2/3
    expect(pc.map((c) => c.f1)).toEqual([0.5, expect.closeTo(0.8, 10), expect.closeTo(2 / 3, 10)]);
    expect(macroF1(y, p, 3)).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 10);
  });
  it('macro precision and recall are unweighted class means', () => {
    const m = macroScores(y, p, 3);
    expect(m.precision).toBeCloseTo((1 / 2 + 2 / 3 + 1) / 3, 12);
    expect(m.recall).toBeCloseTo((1 / 2 + 1 + 1 / 2) / 3, 12);
    expect(m.f1).toBeCloseTo(macroF1(y, p, 3), 12);
  });
  it('a class never present nor predicted scores 0, not NaN', () => {
    expect(perClass([0, 1], [0, 1], 3)[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
  it('log loss clips at 1e-15', () => {
    expect(
      logLoss(
        [0, 1],
        [
          [0.5, 0.5],
          [1, 0],
        ],
      ),
    ).toBeCloseTo((Math.log(2) - Math.log(1e-15)) / 2, 8);
  });
  it('Brier score is the mean over examples of sum_k (p_k - y_k)^2', () => {
    // (0.3² + 0.2² + 0.1²) = 0.14 and (0.5² + 0.7² + 0.2²) = 0.78 -> mean 0.46
    expect(
      brierScore(
        [0, 1],
        [
          [0.7, 0.2, 0.1],
          [0.5, 0.3, 0.2],
        ],
      ),
    ).toBeCloseTo(0.46, 12);
    expect(brierScore([2], [[0, 0, 1]])).toBe(0);
    expect(brierScore([0], [[0, 1, 0]])).toBe(2);
    expect(brierScore([], [])).toBe(0);
  });
  it('top-k accuracy counts the true class among the k most probable; ties follow argmax', () => {
    const row = [0.5, 0.3, 0.2];
    expect(topKAccuracy([0, 1, 2], [row, row, row], 1)).toBeCloseTo(1 / 3, 12);
    expect(topKAccuracy([0, 1, 2], [row, row, row], 2)).toBeCloseTo(2 / 3, 12);
    expect(topKAccuracy([0, 1, 2], [row, row, row], 3)).toBe(1);
    expect(trueClassRank(1, [0.4, 0.4, 0.2])).toBe(1);
    expect(trueClassRank(0, [0.4, 0.4, 0.2])).toBe(0);
    const probs = [
      [0.4, 0.4, 0.2],
      [0.1, 0.6, 0.3],
    ];
    expect(topKAccuracy([1, 1], probs, 1)).toBe(accuracy([1, 1], [0, 1]));
  });
});

describe('macro averages over the classes present', () => {
  it('match scikit-learn: labels from y_true and y_pred, a class in neither is left out', () => {
    // sklearn.metrics f1/precision/recall_score(average='macro', zero_division=0) on these
    // labels give 0.583333, 0.666667, 0.541667; class 4 (named, never seen) changes nothing.
    const yt = [0, 0, 1, 1, 1, 2];
    const yp = [0, 1, 1, 1, 3, 2];
    for (const k of [4, 5]) {
      const m = macroScores(yt, yp, k);
      expect(m.f1).toBeCloseTo(0.583333, 5);
      expect(m.precision).toBeCloseTo(0.666667, 5);
      expect(m.recall).toBeCloseTo(0.541667, 5);
      expect(macroF1FromConfusion(confusionMatrix(yt, yp, k))).toBeCloseTo(0.583333, 5);
    }
  });
});
