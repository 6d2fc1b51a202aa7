import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../util/errors';
import { TOY_CLASSES, toyExamples } from '../classical/fixtures';
import { createClassical } from '../classical/spec';
import { expandGrid, gridSearch } from './grid-search';
import { randomSearch, samplePoints } from './random-search';

describe('gridSearch', () => {
  const train = toyExamples(10);
  const validation = toyExamples(4, 10);
  it('scores every grid point on validation and returns the best', async () => {
    expect(expandGrid({ a: [1, 2], b: ['x', 'y'] })).toHaveLength(4);
    const events: string[] = [];
    const r = await gridSearch((p) => createClassical('tfidf-nb', p), { alpha: [0.01, 1000] }, train, validation, {
      classes: TOY_CLASSES,
      seed: 1,
      metric: 'macroF1',
      onEvent: (e) => e.type === 'phase' && events.push(`${e.done}/${e.total}`),
    });
    expect(r.results).toHaveLength(2);
    expect(r.best.params).toEqual({ alpha: 0.01 });
    expect(r.best.score).toBe(r.best.macroF1);
    expect(events).toEqual(['0/2', '1/2', '2/2']);
  });
  it('is cancellable', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(gridSearch((p) => createClassical('tfidf-nb', p), { alpha: [1] }, train, validation, { classes: TOY_CLASSES, seed: 1, signal: ac.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});

describe('randomSearch', () => {
  it('draws the same points for the same seed, inside each range', () => {
    const space = { alpha: { low: 1e-3, high: 10, log: true }, k: { low: 1, high: 5, int: true }, norm: ['l1', 'l2'] };
    const a = samplePoints(space, 50, 7);
    expect(samplePoints(space, 50, 7)).toEqual(a);
    expect(samplePoints(space, 50, 8)).not.toEqual(a);
    for (const p of a) {
      expect(p.alpha as number).toBeGreaterThanOrEqual(1e-3);
      expect(p.alpha as number).toBeLessThanOrEqual(10);
      expect(Number.isInteger(p.k)).toBe(true);
      expect(['l1', 'l2']).toContain(p.norm);
    }
    // Log-uniform: about half the draws fall below the geometric middle (0.1), not 1%.
    const below = a.filter((p) => (p.alpha as number) < 0.1).length;
    expect(below).toBeGreaterThan(15);
    expect(below).toBeLessThan(35);
  });

  it('fits each drawn point and keeps the best on validation', async () => {
    const train = toyExamples(10);
    const validation = toyExamples(4, 10);
    const r = await randomSearch((p) => createClassical('tfidf-nb', p), { alpha: [0.01, 1000] }, 4, train, validation, { classes: TOY_CLASSES, seed: 3 });
    expect(r.results.map((x) => x.params)).toEqual(samplePoints({ alpha: [0.01, 1000] }, 4, 3));
    expect(r.best.score).toBe(Math.max(...r.results.map((x) => x.score)));
  });
});
