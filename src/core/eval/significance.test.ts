import { describe, expect, it } from 'vitest';
import { aggregateSeeds, bonferroni, compareToBaseline, formatMeanStd, mcnemar, mcnemarExact, pairedTTest } from './significance';
import { logChoose, logGamma, regularizedIncompleteBeta, studentTCdf, studentTTwoSided } from './special';

/** Direct binomial sum, fine for small n. */
function directMcnemar(b: number, c: number): number {
  const n = b + c;
  let s = 0;
  for (let i = 0; i <= Math.min(b, c); i++) s += Math.exp(logChoose(n, i)) * 0.5 ** n;
  return Math.min(1, 2 * s);
}

describe('special functions', () => {
  it('log gamma and log binomial coefficients', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 11); // scipy.special.gammaln
    expect(logGamma(100.5)).toBeCloseTo(361.43554046777757, 9);
    expect(Math.exp(logChoose(12, 2))).toBeCloseTo(66, 9);
    expect(logChoose(5, 7)).toBe(-Infinity);
  });
  it('regularised incomplete beta matches closed forms and reference values', () => {
    for (const x of [0.1, 0.5, 0.77]) expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 12);
    // I_x(2, 3) = sum_{j=2..4} C(4,j) x^j (1-x)^(4-j)
    const x = 0.3;
    expect(regularizedIncompleteBeta(x, 2, 3)).toBeCloseTo(6 * x ** 2 * (1 - x) ** 2 + 4 * x ** 3 * (1 - x) + x ** 4, 12);
    // scipy.special.betainc
    expect(regularizedIncompleteBeta(0.3, 2.5, 3.5)).toBeCloseTo(0.29675298929566646, 10);
    expect(regularizedIncompleteBeta(0.9, 0.5, 0.5)).toBeCloseTo(0.7951672353008665, 10);
    expect(regularizedIncompleteBeta(0.45, 50, 60)).toBeCloseTo(0.4642352914306031, 10);
  });
  it('Student t CDF: df=4 at 2.776 is 0.975, and closed forms for df 1, 2, 3', () => {
    expect(studentTCdf(2.776, 4)).toBeCloseTo(0.975, 4);
    expect(studentTCdf(2.776, 4)).toBeCloseTo(0.9749886108400118, 10); // scipy.stats.t.cdf
    for (const t of [-3, -0.5, 0, 0.7, 4]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
      const u = t / Math.sqrt(3);
      expect(studentTCdf(t, 3)).toBeCloseTo(0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 12);
    }
    expect(studentTCdf(-1.3, 7.5)).toBeCloseTo(0.11606338940780439, 10);
    expect(studentTCdf(0.4, 30)).toBeCloseTo(0.654004741742904, 10);
    expect(studentTTwoSided(2.776, 4)).toBeCloseTo(0.05, 4);
    expect(studentTCdf(Infinity, 3)).toBe(1);
  });
});

describe('McNemar exact test', () => {
  it('b=10, c=2 gives p = 2·79/4096 = 0.0386', () => {
    expect(mcnemarExact(10, 2)).toBeCloseTo(0.03857421875, 12);
    expect(mcnemarExact(2, 10)).toBeCloseTo(0.03857421875, 12);
    expect(mcnemarExact(10, 2).toFixed(4)).toBe('0.0386');
  });
  it('matches the direct sum, caps at 1, and stays finite for large n', () => {
    expect(mcnemarExact(30, 12)).toBeCloseTo(directMcnemar(30, 12), 12);
    expect(mcnemarExact(30, 12)).toBeCloseTo(0.007915897334896727, 12); // scipy binomtest(12, 42)
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(5, 5)).toBe(1);
    // 0.5^2100 underflows in doubles; log space does not. scipy binomtest(1000, 2100) = 0.030720707864
    expect(mcnemarExact(1100, 1000)).toBeCloseTo(0.03072070786424249, 8);
    expect(mcnemarExact(3000, 3000)).toBe(1);
    // Both sides of the direct / log-space switch agree.
    expect(mcnemarExact(520, 480)).toBeCloseTo(directMcnemar(520, 480), 10);
    expect(mcnemarExact(530, 490)).toBeCloseTo(0.22201549972246432, 9); // n = 1020: log space
    expect(mcnemarExact(2000, 0)).toBeGreaterThanOrEqual(0);
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
  });
  it('counts discordant pairs from predictions', () => {
    const y = [0, 0, 1, 1, 2, 2];
    const a = [0, 0, 1, 0, 2, 1]; // right on 0,1,2,4
    const b = [0, 1, 1, 1, 0, 1]; // right on 0,2,3
    expect(mcnemar(y, a, b)).toEqual({ b: 2, c: 1, pValue: 1 });
  });
});

describe('seeds', () => {
  it('mean ± sample std', () => {
    const a = aggregateSeeds([1, 2, 3, 4]);
    expect(a).toEqual({ n: 4, mean: 2.5, std: expect.closeTo(Math.sqrt(5 / 3), 12), min: 1, max: 4 });
    expect(aggregateSeeds([0.9]).std).toBe(0);
    expect(formatMeanStd(aggregateSeeds([0.9, 0.92]), 3)).toBe('0.910 ± 0.014');
  });
  it('paired t-test matches scipy.stats.ttest_rel', () => {
    const r = pairedTTest([0.9, 0.92, 0.91, 0.93], [0.88, 0.89, 0.9, 0.9]);
    expect(r.df).toBe(3);
    expect(r.meanDiff).toBeCloseTo(0.0225, 12);
    expect(r.t).toBeCloseTo(4.700096710803841, 9);
    expect(r.pValue).toBeCloseTo(0.018219854743222408, 9);
    expect(pairedTTest([1, 2], [1, 2]).pValue).toBe(1);
    expect(pairedTTest([2, 3], [1, 2]).pValue).toBe(0);
    expect(() => pairedTTest([1], [2])).toThrow(RangeError);
  });
  it('Bonferroni multiplies by the number of comparisons', () => {
    expect(bonferroni([0.01, 0.02, 0.5])).toEqual([0.03, 0.06, 1]);
    const cmp = compareToBaseline([0.88, 0.89, 0.9, 0.9], { good: [0.9, 0.92, 0.91, 0.93], same: [0.89, 0.88, 0.9, 0.9] });
    expect(cmp[0]).toMatchObject({ model: 'good', adjustedP: expect.closeTo(2 * 0.018219854743222408, 9), significant: true });
    expect(cmp[1].significant).toBe(false);
  });
});
