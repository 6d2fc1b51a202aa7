import { describe, expect, it } from 'vitest';
import { goldenSectionMin } from './golden-section';

describe('goldenSectionMin', () => {
  it('finds the minimiser of a unimodal function to within tol, in few evaluations', () => {
    let calls = 0;
    const x = goldenSectionMin((v) => (calls++, (v - 0.3) ** 2), 0, 1, 1e-6);
    expect(Math.abs(x - 0.3)).toBeLessThan(1e-6);
    // Interval shrinks by 0.618 per evaluation: ~29 steps to 1e-6, plus the two first probes.
    expect(calls).toBeLessThanOrEqual(32);
  });
  it('lands on an edge when the minimum is there', () => {
    expect(goldenSectionMin((v) => v, -6, 6, 1e-5)).toBeCloseTo(-6, 4);
    expect(goldenSectionMin((v) => -v, 0, 1, 0.01)).toBeGreaterThan(0.99);
  });
});
