import { describe, expect, it } from 'vitest';
import { greedySelect } from './selection';

// Three texts of class 0: each good member is mildly wrong on one text; `bad` is wrong everywhere.
const y = [0, 0, 0];
const right = [0.9, 0.1];
const wrong = [0.4, 0.6];
const m1 = [wrong, right, right];
const m2 = [right, wrong, right];
const m3 = [right, right, wrong];
const bad = [wrong, wrong, wrong];

describe('greedy forward selection (Caruana et al. 2004)', () => {
  it('starts from the best member and adds the one that helps most, by hand', () => {
    const s = greedySelect([bad, m1, m2, m3], y, { iterations: 5, metric: 'accuracy' });
    // Step 0: m1, m2, m3 tie on accuracy 2/3 and log loss; the lower index (m1) wins.
    expect(s.path[0].member).toBe(1);
    expect(s.path[0].accuracy).toBeCloseTo(2 / 3, 12);
    // Step 1: with m2 or m3 every text averages at least (0.4 + 0.9) / 2 = 0.65 on class 0: all
    // right (m1 again or bad stay at 2/3); m2 and m3 tie exactly, so m2.
    expect(s.path[1].member).toBe(2);
    expect(s.path[1].accuracy).toBe(1);
    // Step 2: all right either way; log loss decides: m3 gives 0.733 on every text
    // (3 x 0.310 = 0.931), m1 again 0.567, 0.733, 0.9 (0.567 + 0.310 + 0.105 = 0.982).
    expect(s.path[2].member).toBe(3);
    expect(s.path[2].logLoss).toBeCloseTo(-Math.log(2.2 / 3), 12);
    // The bad member is never chosen; the chosen bag is the best point of the path.
    expect(s.counts[0]).toBe(0);
    expect(s.path[s.best].accuracy).toBe(1);
    expect(s.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('adds with replacement: a member can enter more than once', () => {
    // The mixture w * sharp + (1 - w) * vague has its least log loss near w = 2/3 (d/dw = 0:
    // 2 * 0.49 / (0.5 + 0.49 w) = 0.33 / (0.5 - 0.33 w)), so the bag must hold sharp twice.
    const sharp = [
      [0.99, 0.01],
      [0.99, 0.01],
      [0.17, 0.83],
    ];
    const vague = [
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
    ];
    const s = greedySelect([sharp, vague], [0, 0, 0], { iterations: 20 });
    expect(s.path.slice(0, 3).map((p) => p.member)).toEqual([0, 1, 0]);
    expect(s.counts[0]).toBeGreaterThanOrEqual(2);
    expect(s.counts[1]).toBeGreaterThanOrEqual(1);
    expect(s.weights[0]).toBeCloseTo(2 / 3, 1);
    // Its path is deterministic.
    expect(greedySelect([sharp, vague], [0, 0, 0], { iterations: 20 })).toEqual(s);
  });

  it('prunes to N distinct members', () => {
    const s = greedySelect([bad, m1, m2, m3], y, { iterations: 10, maxMembers: 2, metric: 'accuracy' });
    expect(s.counts.filter((c) => c > 0).length).toBeLessThanOrEqual(2);
    s.path.forEach((p) => expect(p.distinct).toBeLessThanOrEqual(2));
    expect(() => greedySelect([m1], y, { maxMembers: 0 })).toThrow(/at least 1/);
  });
});
