/**
 * The grid as a sampler: every combination of the space's lists, in key order then value order,
 * one per trial until the grid or the budget runs out. A range has no grid: list its values.
 */
import { ConfigError } from '../util/errors';
import type { Dimension, Params } from './space';
import type { Sampler } from './trial';

export function gridPoints(dims: readonly Dimension[]): Params[] {
  let points: Params[] = [{}];
  for (const d of dims) {
    if (d.kind !== 'categorical') throw new ConfigError(`The grid sampler needs a list of values for ${d.path}, not a range: list them, or use --sampler tpe or random`);
    points = points.flatMap((p) => d.choices.map((v) => ({ ...p, [d.path]: v })));
  }
  return points;
}

export const gridSampler: Sampler = {
  name: 'grid',
  sample: (dims, _history, _rng, number) => gridPoints(dims)[number],
};
