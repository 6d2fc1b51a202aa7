import { describe, expect, it } from 'vitest';
import { calibrationReport, expectedCalibrationError, expectedCalibrationErrorEqualMass, reliabilityDiagram } from './calibration';

// Confidences 0.9 (right), 0.7 (wrong), 0.65 (right), 0.55 (wrong).
const probs = [
  [0.9, 0.1],
  [0.7, 0.3],
  [0.35, 0.65],
  [0.55, 0.45],
];
const labels = [0, 1, 1, 1];

describe('calibration', () => {
  it('equal-width ECE matches the hand computation', () => {
    // 5 bins of 0.2: (0.8,1] {0.9 ✓} -> 1/4·|1-0.9| = 0.025; (0.6,0.8] {0.7 ✗, 0.65 ✓} -> 2/4·|0.5-0.675| = 0.0875;
    // (0.4,0.6] {0.55 ✗} -> 1/4·0.55 = 0.1375. Sum 0.25.
    expect(expectedCalibrationError(probs, labels, 5)).toBeCloseTo(0.25, 12);
    const d = reliabilityDiagram(probs, labels, { bins: 5 });
    expect(d.bins.map((b) => b.count)).toEqual([0, 0, 1, 2, 1]);
    expect(d.bins[3]).toMatchObject({ lo: 0.6, hi: 0.8, accuracy: 0.5, confidence: expect.closeTo(0.675, 12) });
    expect(d.mce).toBeCloseTo(0.55, 12);
  });
  it('equal-mass ECE puts the same number of examples in each bin', () => {
    // Sorted 0.55 ✗, 0.65 ✓ | 0.7 ✗, 0.9 ✓: 1/2·|0.5-0.6| + 1/2·|0.5-0.8| = 0.05 + 0.15 = 0.2
    expect(expectedCalibrationErrorEqualMass(probs, labels, 2)).toBeCloseTo(0.2, 12);
    const d = reliabilityDiagram(probs, labels, { bins: 2, binning: 'equal-mass' });
    expect(d.bins.map((b) => [b.lo, b.hi, b.count])).toEqual([
      [0.55, 0.65, 2],
      [0.7, 0.9, 2],
    ]);
    // More bins than examples: surplus bins stay empty, every example counted once.
    const sparse = reliabilityDiagram(probs.slice(0, 2), labels.slice(0, 2), { bins: 4, binning: 'equal-mass' });
    expect(sparse.bins.reduce((a, b) => a + b.count, 0)).toBe(2);
  });
  it('confidence 1 lands in the last bin and a perfect model has ECE 0', () => {
    expect(
      expectedCalibrationError(
        [
          [1, 0],
          [0, 1],
        ],
        [0, 1],
        10,
      ),
    ).toBe(0);
    expect(reliabilityDiagram([[1, 0]], [0], { bins: 10 }).bins[9].count).toBe(1);
    expect(expectedCalibrationError([], [])).toBe(0);
  });
  it('reports ECE and log loss before and after a calibration map', () => {
    const after = [
      [0.8, 0.2],
      [0.4, 0.6],
      [0.4, 0.6],
      [0.6, 0.4],
    ];
    const r = calibrationReport(probs, after, labels, 5);
    expect(r.eceBefore).toBeCloseTo(0.25, 12);
    // (0.6,0.8] {0.8 ✓} -> 1/4·0.2 = 0.05; (0.4,0.6] {0.6 ✓, 0.6 ✓, 0.6 ✗} -> 3/4·|2/3-0.6| = 0.05.
    expect(r.eceAfter).toBeCloseTo(0.1, 12);
    expect(r.logLossBefore).toBeCloseTo(-(Math.log(0.9) + Math.log(0.3) + Math.log(0.65) + Math.log(0.45)) / 4, 12);
    expect(r.logLossAfter).toBeCloseTo(-(Math.log(0.8) + 2 * Math.log(0.6) + Math.log(0.4)) / 4, 12);
    expect(r.bins).toBe(5);
  });
  it('rejects a non-positive bin count', () => {
    expect(() => reliabilityDiagram(probs, labels, { bins: 0 })).toThrow(RangeError);
  });
});
