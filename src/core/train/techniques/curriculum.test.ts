import { describe, expect, it } from 'vitest';
import { curriculumSchema } from './config';
import { easiest, epochSizes, exampleLosses, lengthScores, pacingShare, rareWordScores } from './curriculum';

describe('curriculum scores', () => {
  it('length, rare words (outside the most frequent ids) and per-example loss', () => {
    const ids = [Int32Array.from([5, 5, 6]), Int32Array.from([5, 7, 8, 9]), Int32Array.from([6])];
    expect(Array.from(lengthScores(ids))).toEqual([3, 4, 1]);
    // Top 2 ids by frequency: 5 (3 times), 6 (twice).
    expect(Array.from(rareWordScores(ids, 2))).toEqual([0, 0.75, 0]);
    // The unknown id is rare however frequent it is.
    expect(Array.from(rareWordScores([Int32Array.from([1, 1, 2]), Int32Array.from([1, 3])], 1, [1]))).toEqual([Math.fround(2 / 3), 1]);
    const l = exampleLosses([Float32Array.from([0.25, 0.75]), Float32Array.from([1, 0])], [1, 1]);
    expect(l[0]).toBeCloseTo(-Math.log(0.75), 6);
    expect(l[1]).toBeCloseTo(-Math.log(1e-15), 3);
  });
});

describe('pacing and order', () => {
  const cfg = (o: object) => curriculumSchema.parse(o);
  it('linear, root and step shares reach 1 at fullAt of the epochs', () => {
    // 4 epochs, fullAt 0.5: T = 2 epochs done.
    const share = (pacing: string) => [1, 2, 3, 4].map((e) => pacingShare(cfg({ pacing, start: 0.2, fullAt: 0.5 }), e, 4));
    expect(share('linear')).toEqual([0.2, 0.6, 1, 1].map((x) => expect.closeTo(x, 9)));
    expect(share('root')).toEqual([0.2, Math.sqrt(0.04 + 0.96 / 2), 1, 1].map((x) => expect.closeTo(x, 9)));
    expect(share('step')).toEqual([0.2, 0.2, 1, 1]);
    // Defaults: root from a third, all examples from half the epochs on.
    expect(pacingShare(cfg({}), 1, 10)).toBeCloseTo(0.33, 9);
    expect(pacingShare(cfg({}), 6, 10)).toBe(1);
  });

  it('takes the easiest share, ties by index, and sizes each epoch', () => {
    expect(easiest([3, 1, 2, 1, 5], 0.4)).toEqual([1, 3]);
    expect(easiest([3, 1, 2, 1, 5], 0.5)).toEqual([1, 3, 2]);
    expect(easiest([3, 1, 2], 0.01)).toEqual([1]);
    expect(easiest([3, 1, 2], 1)).toEqual([0, 1, 2]);
    const ten = new Array(10).fill(0);
    expect(epochSizes(cfg({ pacing: 'linear', start: 0.2, fullAt: 0.5, balanced: false }), ten, 4)).toEqual([2, 6, 10, 10]);
    expect(epochSizes(null, ten, 2)).toEqual([10, 10]);
  });

  it('balanced: the easiest share of each class', () => {
    const scores = [5, 1, 2, 0, 3, 4, 9, 8];
    const classes = [0, 0, 0, 0, 1, 1, 1, 1];
    // Overall the easiest half is all class 0; per class it is two of each.
    expect(easiest(scores, 0.5)).toEqual([3, 1, 2, 4]);
    expect(easiest(scores, 0.5, classes)).toEqual([3, 1, 2, 4, 5].filter((i) => i !== 2));
    // A class of one keeps its one example.
    expect(easiest(scores, 0.3, [0, 0, 0, 0, 0, 0, 0, 1])).toEqual([3, 1, 2, 7]);
    expect(epochSizes(cfg({ pacing: 'step', start: 0.3, fullAt: 1 }), [0, 0, 0, 0, 0, 0, 0, 1], 2)).toEqual([4, 4]);
    // A count alone (no classes) sizes the share of all examples.
    expect(epochSizes(cfg({ pacing: 'step', start: 0.3, fullAt: 1 }), 8, 2)).toEqual([3, 3]);
  });
});
