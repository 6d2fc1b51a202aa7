import { describe, expect, it } from 'vitest';
import { lrFactor } from './schedule';

describe('learning-rate schedules (transformers get_scheduler)', () => {
  it('linear with warmup: 0 -> 1 over the warmup, then down to 0 at the last step', () => {
    // get_linear_schedule_with_warmup(warmup=2, total=6): [0, 0.5, 1, 0.75, 0.5, 0.25]
    expect([0, 1, 2, 3, 4, 5].map((s) => lrFactor('linear', s, 6, 2))).toEqual([0, 0.5, 1, 0.75, 0.5, 0.25]);
    expect(lrFactor('linear', 7, 6, 2)).toBe(0);
  });
  it('cosine with warmup and constant', () => {
    // get_cosine_schedule_with_warmup(warmup=1, total=5): [0, 1, 0.8535534, 0.5, 0.1464466]
    [0, 1, 0.8535534, 0.5, 0.1464466].forEach((v, s) => expect(lrFactor('cosine', s, 5, 1)).toBeCloseTo(v, 6));
    expect(lrFactor('constant', 3, 5, 0)).toBe(1);
    expect(lrFactor('constant', 0, 5, 2)).toBe(0);
  });
});
