/**
 * Random search (Bergstra & Bengio 2012): n points drawn from per-parameter distributions, which
 * covers the parameters that matter better than a grid of the same size. Seeded: the same seed
 * draws the same points.
 */
import type { Example } from '../../data/types';
import { Rng, deriveSeed } from '../../util/random';
import type { Estimator } from '../estimator';
import { searchPoints, type GridSearchContext, type GridSearchResult } from './grid-search';

/** A list to pick from uniformly, or a range (log-uniform with `log`, rounded with `int`). */
export type Distribution = readonly unknown[] | { low: number; high: number; log?: boolean; int?: boolean };
export type SearchSpace = Record<string, Distribution>;

function draw(d: Distribution, rng: Rng): unknown {
  if (Array.isArray(d)) return d[rng.int(d.length)];
  const r = d as Exclude<Distribution, readonly unknown[]>;
  if (r.log && !(r.low > 0)) throw new Error(`A log-uniform range needs low > 0 (got ${r.low})`);
  const u = rng.next();
  const x = r.log ? Math.exp(Math.log(r.low) + u * (Math.log(r.high) - Math.log(r.low))) : r.low + u * (r.high - r.low);
  return r.int ? Math.min(r.high, Math.round(x)) : x;
}

/** `n` points from `space`, in key order within each point. */
export function samplePoints(space: SearchSpace, n: number, seed: number): Record<string, unknown>[] {
  const rng = new Rng(deriveSeed(seed, 'random-search'));
  return Array.from({ length: n }, () => Object.fromEntries(Object.entries(space).map(([k, d]) => [k, draw(d, rng)])));
}

export function randomSearch(
  makeEstimator: (params: Record<string, unknown>) => Estimator,
  space: SearchSpace,
  n: number,
  train: Example[],
  validation: Example[],
  ctx: GridSearchContext,
): Promise<GridSearchResult> {
  return searchPoints(makeEstimator, samplePoints(space, n, ctx.seed), train, validation, ctx);
}
