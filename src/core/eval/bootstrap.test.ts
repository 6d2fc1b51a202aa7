import { describe, expect, it } from 'vitest';
import { accuracyCI } from './bootstrap';

describe('bootstrap CI', () => {
  it('brackets the accuracy, narrows with n, and is reproducible for a seed', () => {
    const small = Array.from({ length: 100 }, (_, i) => (i % 10 < 8 ? 1 : 0));
    const big = Array.from({ length: 10000 }, (_, i) => (i % 10 < 8 ? 1 : 0));
    const [lo, hi] = accuracyCI(small, { seed: 7 });
    expect(lo).toBeLessThan(0.8);
    expect(hi).toBeGreaterThan(0.8);
    // Normal approximation: half-width ~ 1.96 * sqrt(0.16 / 100) = 0.078
    expect(hi - lo).toBeGreaterThan(0.12);
    expect(hi - lo).toBeLessThan(0.19);
    const [blo, bhi] = accuracyCI(big, { seed: 7 });
    expect(bhi - blo).toBeLessThan(0.02);
    expect(accuracyCI(small, { seed: 7 })).toEqual([lo, hi]);
  });
});
