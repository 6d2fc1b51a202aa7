import { describe, expect, it } from 'vitest';
import { weightedAttribution } from './explain';

const att = (tokens: string[], scores: number[]) => ({ tokens, scores, target: 1, probs: [0.3, 0.7], method: 'gradient x input' });

describe('weightedAttribution', () => {
  it("weights members' scores and aligns differently tokenised members by token text, by hand", () => {
    // A (weight 2) is the reference; B (weight 1) scores "a" once, spread over A's two "a"s.
    const r = weightedAttribution(
      [
        { name: 'B', weight: 1, attribution: att(['a', 'c'], [3, 5]) },
        { name: 'A', weight: 2, attribution: att(['a', 'b', 'a'], [1, 2, 3]) },
      ],
      1,
      [0.2, 0.8],
    );
    expect(r.tokens).toEqual(['a', 'b', 'a']);
    // 2/3 * [1, 2, 3] + 1/3 * 3 / 2 on each "a" = [7/6, 4/3, 5/2]; B's "c" has no place.
    [7 / 6, 4 / 3, 5 / 2].forEach((v, i) => expect(r.scores[i]).toBeCloseTo(v, 12));
    expect(r.target).toBe(1);
    expect(r.probs).toEqual([0.2, 0.8]);
    expect(r.method).toMatch(/A \(gradient x input, weight 0\.667\), B .*1 member tokens without a match/);
    // Same tokens: a plain weighted sum.
    const same = weightedAttribution(
      [
        { name: 'A', weight: 1, attribution: att(['x', 'y'], [1, 0]) },
        { name: 'B', weight: 3, attribution: att(['x', 'y'], [0, 4]) },
      ],
      1,
      [0.5, 0.5],
    );
    expect(same.scores).toEqual([0.25, 3]);
  });
});
