import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random';
import { resetPhases, withPhase, assertTestAllowed, currentPhase } from '../../guard/phase';
import { applyCombiner, fitCombiner } from './combiner';
import { A, B, Y } from './fixtures';
import { applyMetaLearner, fitMetaOnMembers, stackFeatures } from './meta-learner';
import { midRank } from './rank';
import { fitSimplexWeights, mixtureGradient, mixtureLogLoss } from './simplex-weights';

const C = [
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
  [0.34, 0.33, 0.33],
];

describe('combiners', () => {
  it("soft voting averages the members' probabilities", async () => {
    const { combiner } = await fitCombiner('soft', [A, B], Y, { seed: 1 });
    const rows = applyCombiner(combiner, [A, B]);
    expect(Array.from(rows[0])).toEqual([0.65, 0.25, 0.1].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(rows[3])).toEqual([0.35, 0.55, 0.1].map((v) => expect.closeTo(v, 6)));
  });

  it('hard voting gives vote shares; a tie goes to the lower class', async () => {
    const { combiner } = await fitCombiner('hard', [A, B, C], Y, { seed: 1 });
    const rows = applyCombiner(combiner, [A, B, C]);
    // Row 1: A votes 1, B votes 1, C votes 0.
    expect(Array.from(rows[1])).toEqual([1 / 3, 2 / 3, 0].map((v) => expect.closeTo(v, 6)));
    // Row 4: A votes 2, B votes 0, C votes 0.
    expect(Array.from(rows[4])).toEqual([2 / 3, 0, 1 / 3].map((v) => expect.closeTo(v, 6)));
    const two = applyCombiner((await fitCombiner('hard', [A, B], Y, { seed: 1 })).combiner, [A, B]);
    // Row 3: A votes 0, B votes 1: a tie, the arg-max is class 0.
    expect(Array.from(two[3])).toEqual([0.5, 0.5, 0]);
  });

  it('weighted voting finds the simplex point of least validation log loss (KKT) and beats equal weights', async () => {
    const fit = fitSimplexWeights([A, B, C], Y);
    expect(fit.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 10);
    fit.weights.forEach((w) => expect(w).toBeGreaterThanOrEqual(0));
    // At the optimum every member in use has the same gradient (the smallest), the others no smaller.
    const g = mixtureGradient([A, B, C], Y, fit.weights);
    const gmin = Math.min(...g);
    g.forEach((gm, m) => (fit.weights[m] > 1e-4 ? expect(gm).toBeCloseTo(gmin, 4) : expect(gm).toBeGreaterThanOrEqual(gmin - 1e-6)));
    expect(fit.logLoss).toBeLessThan(mixtureLogLoss([A, B, C], Y, [1 / 3, 1 / 3, 1 / 3]));
    // Against a fine grid on two members.
    let bestW = 0;
    let best = Infinity;
    for (let t = 0; t <= 10000; t++) {
      const v = mixtureLogLoss([A, B], Y, [t / 10000, 1 - t / 10000]);
      if (v < best) [best, bestW] = [v, t / 10000];
    }
    const two = fitSimplexWeights([A, B], Y);
    expect(two.weights[0]).toBeCloseTo(bestW, 3);
    expect(two.logLoss).toBeCloseTo(best, 8);
    const { combiner } = await fitCombiner('weighted', [A, B], Y, { seed: 1 });
    expect(combiner.method === 'weighted' && combiner.weights[0]).toBeCloseTo(bestW, 3);
  });

  it("rank averaging ranks each probability against the member's validation column", async () => {
    expect(midRank([0.1, 0.2, 0.2, 0.5], 0.2)).toBeCloseTo(0.5, 10); // 1 below, 2 ties: (1 + 1) / 4
    expect(midRank([0.1, 0.2, 0.2, 0.5], 0.05)).toBe(0);
    expect(midRank([0.1, 0.2, 0.2, 0.5], 0.9)).toBe(1);
    const { combiner } = await fitCombiner('rank', [A, B], Y, { seed: 1 });
    const rows = applyCombiner(combiner, [A, B]);
    // Each class's score is the mean of the two members' mid-ranks, then the row is normalised.
    const colA2 = A.map((r) => r[2]);
    const colB2 = B.map((r) => r[2]);
    const raw = (i: number, k: number) => (midRank([...A.map((r) => r[k])].sort(), A[i][k]) + midRank([...B.map((r) => r[k])].sort(), B[i][k])) / 2;
    const expected = [0, 1, 2].map((k) => raw(7, k));
    const s = expected.reduce((x, y) => x + y, 0);
    expected.forEach((v, k) => expect(rows[7][k]).toBeCloseTo(v / s, 6));
    // A's 0.8 is the unique top of its class-2 column: (8 + 0.5) / 9.
    expect(midRank([...colA2].sort(), 0.8)).toBeCloseTo(17 / 18, 10);
    // B's 0.5 in class 2: six values below, two ties (0.5, 0.5), one above: (6 + 1) / 9.
    expect(midRank([...colB2].sort(), 0.5)).toBeCloseTo(7 / 9, 10);
    // A text's prediction does not depend on the batch it is sent with.
    const alone = applyCombiner(combiner, [[A[7]], [B[7]]]);
    expect(Array.from(alone[0])).toEqual(Array.from(rows[7]));
  });

  it("the stacking meta-learner matches scikit-learn's multinomial LogisticRegression(C=1) objective minimum", async () => {
    // Reference: scipy L-BFGS on C * sum log loss + ||W||^2 / 2 (intercept free), as scikit-learn fits it.
    const W = [
      [0.435902, -0.322197, -0.113705, 0.497405, -0.253333, -0.244073],
      [-0.204596, 0.540115, -0.335519, -0.238262, 0.548171, -0.309908],
      [-0.231307, -0.217918, 0.449225, -0.259143, -0.294838, 0.553981],
    ];
    const b = [0.028769, -0.062949, 0.034181];
    const meta = await fitMetaOnMembers([A, B], Y, 1);
    W.flat().forEach((w, j) => expect(meta.W[j]).toBeCloseTo(w, 4));
    b.forEach((v, k) => expect(meta.b[k]).toBeCloseTo(v, 4));
    const p0 = applyMetaLearner(meta, stackFeatures([[A[0]], [B[0]]]))[0];
    [0.496818, 0.273392, 0.22979].forEach((v, k) => expect(p0[k]).toBeCloseTo(v, 4));
  });

  it('stacking fits on out-of-fold rows, not on validation', async () => {
    const fit = await fitCombiner('stacking', [C, C], Y, { seed: 1, outOfFold: { members: [A, B], labels: Y } });
    const direct = await fitMetaOnMembers([A, B], Y, 1);
    expect(fit.combiner.method === 'stacking' && fit.combiner.meta.W[0]).toBeCloseTo(direct.W[0], 6);
    await expect(fitCombiner('stacking', [A, B], Y, { seed: 1 })).rejects.toThrow(/out-of-fold/);
  });

  it('blending fits on one part of validation and scores on the other, reproducibly', async () => {
    const a = await fitCombiner('blend', [A, B], Y, { seed: 3 });
    const b = await fitCombiner('blend', [A, B], Y, { seed: 3 });
    expect(a.combiner).toEqual(b.combiner);
    expect(a.heldOutAccuracy).toBeDefined();
    expect(a.heldOutAccuracy).toBeGreaterThanOrEqual(0);
    // 40 rows, 10 per class: a quarter is one stratified fold of four, 3 of each class (dealt round-robin) = 12 rows.
    const rng = new Rng(9);
    const noisy = () =>
      Array.from({ length: 40 }, () => {
        const r = [rng.next(), rng.next(), rng.next(), rng.next()];
        const s = r.reduce((x, y) => x + y, 0);
        return r.map((v) => v / s);
      });
    const y40 = Array.from({ length: 40 }, (_, i) => i % 4);
    expect((await fitCombiner('blend', [noisy(), noisy()], y40, { seed: 2, blendFitShare: 0.75 })).heldOutRows).toBe(12);
    expect((await fitCombiner('blend', [noisy(), noisy()], y40, { seed: 2, blendFitShare: 0.25 })).heldOutRows).toBe(28);
    expect((await fitCombiner('blend', [noisy(), noisy()], y40, { seed: 2 })).heldOutRows).toBe(20);
    await expect(fitCombiner('blend', [A, B], Y, { seed: 3, blendFitShare: 1 })).rejects.toThrow(/blendFitShare/);
  });

  it('calibrates the combined probabilities with temperature, Platt or isotonic', async () => {
    for (const calibrate of ['temperature', 'platt', 'isotonic'] as const) {
      const { combiner } = await fitCombiner('soft', [A, B], Y, { seed: 1, calibrate });
      expect(combiner.calibration?.method).toBe(calibrate === 'platt' ? 'sigmoid' : calibrate);
      applyCombiner(combiner, [A, B]).forEach((r) => expect(r.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5));
    }
    const t = await fitCombiner('soft', [A, B], Y, { seed: 1, calibrate: 'temperature' });
    const plain = await fitCombiner('soft', [A, B], Y, { seed: 1 });
    // Temperature never moves the arg-max.
    expect(t.validationAccuracy).toBe(plain.validationAccuracy);
  });

  it('selection keeps only the chosen members', async () => {
    const fit = await fitCombiner('soft', [A, B, C], Y, { seed: 1, select: { iterations: 10, maxMembers: 1 } });
    expect(fit.combiner.use.length).toBe(1);
    expect(fit.selection?.counts.filter((c) => c > 0).length).toBe(1);
  });
});

describe('the ensemble-weighting phase', () => {
  it('is active while a combiner is fitted, and refuses a test read there', async () => {
    resetPhases();
    let seen = '';
    let refused: unknown;
    // A row that notes the phase it is read in.
    const watched = {
      length: 3,
      get 0() {
        seen = currentPhase();
        return 0.7;
      },
      1: 0.2,
      2: 0.1,
    };
    const spy = [[watched, ...A.slice(1)], B];
    await fitCombiner('weighted', spy, Y, { seed: 1 });
    expect(seen).toBe('ensemble-weighting');
    await withPhase('ensemble-weighting', () => {
      try {
        assertTestAllowed('evaluateTest on "ds-1"');
      } catch (e) {
        refused = e;
      }
    });
    expect(String(refused)).toMatch(/refused: the test split cannot be read during ensemble weighting/);
    await expect(withPhase('ensemble-weighting', () => withPhase('evaluation', () => 1))).rejects.toThrow(/Cannot enter phase "evaluation"/);
    expect(currentPhase()).toBe('idle');
  });
});
