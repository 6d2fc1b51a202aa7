import { describe, expect, it } from 'vitest';
import { cohenKappa, diversityReport, pairDiversity, pairTable } from './diversity';

// Ten texts, labels all class 0 for the 2x2 counts: A right on 0-5, B right on 0-2 and 6-7.
const labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const predA = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
const predB = [0, 0, 0, 1, 2, 1, 0, 0, 1, 2];

describe('pairwise diversity', () => {
  it('counts the 2x2 table of right and wrong', () => {
    // Both right: 0-2 (3). Only A: 3-5 (3). Only B: 6-7 (2). Both wrong: 8-9 (2).
    expect(pairTable(predA, predB, labels)).toEqual({ n11: 3, n10: 3, n01: 2, n00: 2 });
  });

  it('gives disagreement, Q, error correlation and double-fault by hand', () => {
    const d = pairDiversity(predA, predB, labels, 3);
    expect(d.disagreement).toBeCloseTo(5 / 10, 12);
    // Q = (3*2 - 2*3) / (3*2 + 2*3) = 0.
    expect(d.q).toBeCloseTo(0, 12);
    expect(d.errorCorrelation).toBeCloseTo(0, 12);
    expect(d.doubleFault).toBeCloseTo(0.2, 12);
    const labels2 = [0, 0, 0, 0, 0, 0, 0, 0];
    // n11 = 4, n00 = 2, n10 = 1, n01 = 1: Q = (8 - 1) / (8 + 1) = 7/9; rho = 7 / sqrt(5*3*5*3) = 7/15.
    const e = pairDiversity([0, 0, 0, 0, 1, 1, 0, 1], [0, 0, 0, 0, 1, 1, 1, 0], labels2, 2);
    expect(e.q).toBeCloseTo(7 / 9, 12);
    expect(e.errorCorrelation).toBeCloseTo(7 / 15, 12);
    expect(e.doubleFault).toBeCloseTo(2 / 8, 12);
    expect(e.disagreement).toBeCloseTo(2 / 8, 12);
  });

  it("computes Cohen's kappa as scikit-learn's cohen_kappa_score", () => {
    // They agree on texts 0, 1, 2 and 9: p_o = 0.4. A predicts class 0/1/2 6/2/2 times, B 5/3/2:
    // p_e = .6*.5 + .2*.3 + .2*.2 = 0.4, so kappa = (0.4 - 0.4) / 0.6 = 0.
    expect(cohenKappa(predA, predB, 3)).toBeCloseTo(0, 12);
    // Perfect agreement is 1; a constant pair that agrees is 1 too.
    expect(cohenKappa([0, 1, 2, 1], [0, 1, 2, 1], 3)).toBe(1);
    expect(cohenKappa([1, 1], [1, 1], 2)).toBe(1);
    // [0,0,1,1] vs [0,1,1,1]: p_o = 3/4, p_e = .5*.25 + .5*.75 = .5, kappa = .25/.5 = 0.5.
    expect(cohenKappa([0, 0, 1, 1], [0, 1, 1, 1], 2)).toBeCloseTo(0.5, 12);
  });

  it("reports each member's marginal contribution: ensemble accuracy minus accuracy without it", () => {
    // Three members, three texts of class 0; each is confidently wrong on a different text.
    // All three: every text averages 0.9, 0.9 and 0.05 on class 0 -> 0.617, right.
    // Without one: each of the two texts that a remaining member misses averages (0.9 + 0.05) / 2
    // = 0.475 on class 0 -> wrong, so only 1 of 3 is right.
    const y = [0, 0, 0];
    const right = [0.9, 0.1];
    const wrong = [0.05, 0.95];
    const m1 = [wrong, right, right];
    const m2 = [right, wrong, right];
    const m3 = [right, right, wrong];
    const r = diversityReport([m1, m2, m3], y);
    expect(r.accuracy).toEqual([2 / 3, 2 / 3, 2 / 3]);
    expect(r.ensembleAccuracy).toBe(1);
    r.without.forEach((w) => expect(w).toBeCloseTo(1 / 3, 12));
    r.contribution.forEach((c) => expect(c).toBeCloseTo(2 / 3, 12));
    // With m1 twice, text 0 is lost (1.0 / 3 on class 0); dropping a copy of m1 loses text 1 too
    // ((0.9 + 0.05) / 2), dropping m2 leaves m1's own 2/3.
    const dup = diversityReport([m1, m1, m2], y);
    expect(dup.ensembleAccuracy).toBeCloseTo(2 / 3, 12);
    expect(dup.without).toEqual([1 / 3, 1 / 3, 2 / 3].map((v) => expect.closeTo(v, 12)));
    expect(dup.contribution).toEqual([1 / 3, 1 / 3, 0].map((v) => expect.closeTo(v, 12)));
    expect(dup.pairs[0][1].disagreement).toBe(0);
    expect(dup.pairs[0][1].kappa).toBe(1);
  });
});
