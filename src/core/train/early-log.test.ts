import { describe, expect, it } from 'vitest';
import { earlyLog } from './loop';

describe('earlyLog', () => {
  it('logs steps 1, 2, 4, 8 and 16 before the first regular log at step 20, and nothing after', () => {
    const steps = Array.from({ length: 60 }, (_, i) => i + 1).filter((s) => earlyLog(s, 20));
    expect(steps).toEqual([1, 2, 4, 8, 16]);
  });

  it('adds nothing when every step is logged anyway', () => {
    expect([1, 2, 3].filter((s) => earlyLog(s, 1))).toEqual([]);
  });
});
