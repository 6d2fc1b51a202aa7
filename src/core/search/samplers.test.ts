import { describe, expect, it } from 'vitest';
import { gridSampler } from './grid';
import { randomSampler } from './random';
import { noPruner } from './pruners';
import { runSearch, type Objective } from './runner';
import { parseSpace } from './space';
import { parzen, parzenLogPdf } from './parzen';
import { splitTrials, tpeSampler } from './tpe';
import type { Sampler, Trial } from './trial';

// A 2-D quadratic with one categorical setting: the optimum, 0, is at x = 2, y = -3, c = "b".
const dims = parseSpace({ x: { low: -5, high: 5 }, y: { low: -5, high: 5 }, c: ['a', 'b', 'c'] });
const OFFSET: Record<string, number> = { a: 10, b: 0, c: 5 };
const quadratic: Objective = async (p) => -(((p.x as number) - 2) ** 2) - ((p.y as number) + 3) ** 2 - OFFSET[p.c as string];

const search = (sampler: Sampler, seed: number, trials = 60) => runSearch(quadratic, { dims, sampler, pruner: noPruner, trials, seed });

describe('samplers on a synthetic objective', () => {
  it('TPE finds the optimum within 60 trials for each of 10 seeds, and the same seed repeats the same trials', async () => {
    let found = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const r = await search(tpeSampler(), seed);
      expect(r.trials).toHaveLength(60);
      if (r.best.params.c === 'b' && r.best.value! > -0.5) found++;
    }
    expect(found).toBe(10);
    const a = await search(tpeSampler(), 7);
    const b = await search(tpeSampler(), 7);
    expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
    const c = await search(tpeSampler(), 8);
    expect(c.trials.map((t) => t.params)).not.toEqual(a.trials.map((t) => t.params));
  });

  it('random search finds the right choice and a near point within 200 trials', async () => {
    const r = await search(randomSampler, 3, 200);
    expect(r.best.params.c).toBe('b');
    expect(r.best.value!).toBeGreaterThan(-3);
  });

  it('TPE beats random search on average over 10 seeds at the same budget of 50 trials', async () => {
    let tpe = 0;
    let rnd = 0;
    let wins = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const t = (await search(tpeSampler(), seed, 50)).best.value!;
      const r = (await search(randomSampler, seed, 50)).best.value!;
      tpe += t / 10;
      rnd += r / 10;
      if (t > r) wins++;
    }
    expect(tpe).toBeGreaterThan(rnd);
    expect(wins).toBeGreaterThanOrEqual(7);
  });

  it('draws log and int ranges inside their bounds, whole numbers for int', async () => {
    const space = parseSpace({ lr: { low: 1e-4, high: 1e-1, log: true }, batch: { low: 8, high: 64, int: true }, k: { low: 1, high: 4, int: true, log: true } });
    const seen: Record<string, unknown>[] = [];
    await runSearch(
      async (p) => {
        seen.push(p);
        return -Math.abs(Math.log10(p.lr as number) + 2.5) - Math.abs((p.batch as number) - 32) / 32;
      },
      { dims: space, sampler: tpeSampler({ nStartup: 5 }), pruner: noPruner, trials: 30, seed: 1 },
    );
    for (const p of seen) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(p.batch) && (p.batch as number) >= 8 && (p.batch as number) <= 64).toBe(true);
      expect(Number.isInteger(p.k) && (p.k as number) >= 1 && (p.k as number) <= 4).toBe(true);
    }
    // Log-uniform: about as many draws below 1e-2.5 as above it among the random start-up trials.
    const below = seen.slice(0, 5).filter((p) => (p.lr as number) < 10 ** -2.5).length;
    expect(below).toBeGreaterThan(0);
    expect(below).toBeLessThan(5);
  });

  it('the grid sampler tries every combination once, then stops', async () => {
    const grid = parseSpace({ a: [1, 2], b: ['x', 'y', 'z'] });
    const r = await runSearch(async (p) => (p.a as number) * (p.b === 'y' ? 2 : 1), { dims: grid, sampler: gridSampler, pruner: noPruner, trials: 10, seed: 1 });
    expect(r.trials.map((t) => t.params)).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
    expect(r.best.params).toEqual({ a: 2, b: 'y' });
    expect(r.stopped).toMatch(/ran out of settings after 6 trials/);
    await expect(runSearch(quadratic, { dims, sampler: gridSampler, pruner: noPruner, trials: 3, seed: 1 })).rejects.toThrow(/grid sampler needs a list of values for x/);
  });
});

describe('TPE internals', () => {
  it('splits at the gamma quantile of finished trials, complete ones first, then the pruned that got furthest (Optuna)', () => {
    const t = (number: number, value: number, state: Trial['state'] = 'complete', steps = 1): Trial => ({
      number,
      params: {},
      state,
      value,
      intermediate: Array.from({ length: steps }, (_, i) => ({ step: i + 1, value })),
      seconds: 0,
    });
    // Six finished, gamma 0.25: ceil(1.5) = 2 good; each group in trial order.
    const { good, bad } = splitTrials([t(0, 0.1), t(1, 0.9), t(2, 0.5), t(3, 0.7), t(4, 0.95, 'pruned'), t(5, 0.2), t(6, 0.99, 'running')], 0.25);
    expect(good.map((x) => x.number)).toEqual([1, 3]);
    expect(bad.map((x) => x.number)).toEqual([0, 2, 4, 5]);
    // Too few complete trials: the pruned trial that reached the latest step fills the good group.
    const few = splitTrials([t(0, 0.3, 'pruned', 3), t(1, 0.5), t(2, 0.9, 'pruned', 1), t(3, 0.2, 'pruned', 3)], 0.5);
    expect(few.good.map((x) => x.number)).toEqual([0, 1]);
    expect(few.bad.map((x) => x.number)).toEqual([2, 3]);
  });

  it('a Parzen estimator is a density on its interval and peaks at its observations', () => {
    const p = parzen([0.2, 0.25, 0.8], 0, 1, 1);
    let mass = 0;
    for (let i = 0; i < 10000; i++) mass += Math.exp(parzenLogPdf(p, (i + 0.5) / 10000)) / 10000;
    expect(mass).toBeCloseTo(1, 3);
    expect(parzenLogPdf(p, 0.22)).toBeGreaterThan(parzenLogPdf(p, 0.5));
  });
});

describe('search spaces', () => {
  it('refuses malformed spaces with the path and the reason', () => {
    expect(() => parseSpace({})).toThrow(/space is empty/);
    expect(() => parseSpace({ 'model.lr': { low: 0, high: 1, log: true } })).toThrow(/model.lr: a log range needs low > 0/);
    expect(() => parseSpace({ 'model.lr': { low: 1, high: 1 } })).toThrow(/must be below high/);
    expect(() => parseSpace({ 'model.n': { low: 1.5, high: 4, int: true } })).toThrow(/whole-number/);
    expect(() => parseSpace({ 'model.c': [] })).toThrow(/list of choices is empty/);
    expect(() => parseSpace({ 'model.c': [1, 1] })).toThrow(/listed twice/);
    expect(() => parseSpace({ 'model.c': { low: 1, high: 2, step: 1 } })).toThrow(/unknown key "step"/);
    expect(() => parseSpace({ 'model.train': [{}], 'model.train.lr': [1] })).toThrow(/model.train.lr lies inside model.train/);
    expect(() => parseSpace({ 'model..x': [1] })).toThrow(/not a setting path/);
    expect(() => parseSpace([1])).toThrow(/expected an object/);
  });
});
