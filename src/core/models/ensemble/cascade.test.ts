import { describe, expect, it } from 'vitest';
import { chooseThresholds, runCascade, type CascadeStage } from './cascade';

// Four texts. The cheap model (1 s per 1,000) is right on 0 and 2 with confidences 0.95, 0.6,
// 0.7, 0.55; the strong one (10 s per 1,000) is right on 0, 1, 2 and wrong on 3.
const labels = [0, 1, 1, 0];
const cheap: CascadeStage = {
  name: 'cheap',
  secondsPer1000: 1,
  probs: [
    [0.95, 0.05],
    [0.6, 0.4],
    [0.3, 0.7],
    [0.45, 0.55],
  ],
};
const strong: CascadeStage = {
  name: 'strong',
  secondsPer1000: 10,
  probs: [
    [0.9, 0.1],
    [0.2, 0.8],
    [0.1, 0.9],
    [0.4, 0.6],
  ],
};

describe('cascade', () => {
  it("routes each text by the cheap model's confidence, by hand", () => {
    // Threshold 0.7: the cheap model answers texts 0 and 2 (both right); 1 and 3 go on (1 right).
    const o = runCascade([cheap, strong], labels, [0.7]);
    expect(o.accuracy).toBe(0.75);
    expect(o.coverage).toEqual([0.5, 0.5]);
    expect(o.stageAccuracy).toEqual([1, 0.5]);
    expect(o.escalation).toBe(0.5);
    // Every text pays the cheap model, half pay the strong one too: 1 + 0.5 * 10.
    expect(o.secondsPer1000).toBeCloseTo(6, 12);
    // null skips the stage: the strong model alone.
    expect(runCascade([cheap, strong], labels, [null])).toMatchObject({ accuracy: 0.75, coverage: [0, 1], escalation: 1, secondsPer1000: 10 });
    // A skipped middle stage leaves the two-stage cascade.
    const mid = { ...strong, name: 'mid', secondsPer1000: 5 };
    expect(runCascade([cheap, mid, strong], labels, [0.7, null])).toMatchObject({ accuracy: 0.75, secondsPer1000: 6, coverage: [0.5, 0, 0.5] });
    expect(() => runCascade([cheap, strong], labels, [])).toThrow(/thresholds/);
  });

  it("keeps a share of the strongest model's accuracy at the least cost", () => {
    // Thresholds tried: 0.55 (acc 0.5, cost 1), 0.6 (0.5, 3.5), 0.7 (0.75, 6), 0.95 (0.75, 8.5), skip (0.75, 10).
    const all = chooseThresholds([cheap, strong], labels, { keepAccuracy: 1 });
    expect(all.chosen.thresholds).toEqual([0.7]);
    expect(all.strongest.accuracy).toBe(0.75);
    expect(all.costRatio).toBeCloseTo(0.6, 12);
    const some = chooseThresholds([cheap, strong], labels, { keepAccuracy: 0.6 });
    expect(some.chosen.thresholds).toEqual([0.55]);
    expect(some.chosen.secondsPer1000).toBe(1);
    // The curve: the cheapest way to each accuracy, rising with cost.
    expect(all.curve.map((c) => [c.secondsPer1000, c.accuracy])).toEqual([
      [1, 0.5],
      [6, 0.75],
    ]);
  });

  it('caps the share of texts sent to the last model', () => {
    // At most 30% escalated: 0.55 (0%) and 0.6 (25%) both reach 0.5; the cheaper wins.
    expect(chooseThresholds([cheap, strong], labels, { maxEscalation: 0.3 }).chosen.thresholds).toEqual([0.55]);
    // At most 50%: 0.7 reaches 0.75.
    const half = chooseThresholds([cheap, strong], labels, { maxEscalation: 0.5 });
    expect(half.chosen).toMatchObject({ thresholds: [0.7], accuracy: 0.75, escalation: 0.5 });
  });

  it('searches every stage of a longer cascade', () => {
    // mid (4 s) is right only on text 1, where it is sure (0.9); elsewhere wrong at 0.6.
    const mid: CascadeStage = {
      name: 'mid',
      secondsPer1000: 4,
      probs: [
        [0.4, 0.6],
        [0.1, 0.9],
        [0.6, 0.4],
        [0.4, 0.6],
      ],
    };
    // Keeping 3/4 needs text 1 right, so cheap must pass it on (threshold above 0.6). Then mid
    // at 0.6 answers texts 1 and 3 (text 3 is lost either way, the strong model misses it too):
    // 3/4 at 1 + 0.5 * 4 = 3, cheaper than cheap -> strong (6) or cheap -> mid 0.9 -> strong (5.5).
    const c = chooseThresholds([cheap, mid, strong], labels, { keepAccuracy: 1 });
    expect(c.chosen).toMatchObject({ thresholds: [0.7, 0.6], accuracy: 0.75, coverage: [0.5, 0.5, 0], escalation: 0 });
    expect(c.chosen.secondsPer1000).toBeCloseTo(3, 12);
    expect(runCascade([cheap, mid, strong], labels, [0.7, 0.9]).secondsPer1000).toBeCloseTo(5.5, 12);
  });
});
