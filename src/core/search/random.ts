/**
 * Random search (Bergstra & Bengio 2012): each setting drawn on its own, uniformly over a list,
 * uniformly or log-uniformly over a range. Integers are drawn over [low - 0.5, high + 0.5] and
 * rounded, so the ends are as likely as the middle values. Seeded through the runner's Rng.
 */
import type { Rng } from '../util/random';
import type { Dimension, Params } from './space';
import type { Sampler } from './trial';

/** The continuous interval a numeric dimension is sampled in (log space for log ranges). */
export function interval(d: Extract<Dimension, { low: number }>): [number, number] {
  const lo = d.kind === 'int' ? d.low - 0.5 : d.low;
  const hi = d.kind === 'int' ? d.high + 0.5 : d.high;
  return d.log ? [Math.log(lo), Math.log(hi)] : [lo, hi];
}

/** From the sampling interval back to a value of the setting (exp for log, rounded and clamped for int). */
export function fromInternal(d: Extract<Dimension, { low: number }>, x: number): number {
  const v = d.log ? Math.exp(x) : x;
  if (d.kind === 'int') return Math.min(d.high, Math.max(d.low, Math.round(v)));
  return Math.min(d.high, Math.max(d.low, v));
}

/** A setting's value in the sampling interval (log for log ranges). */
export function toInternal(d: Extract<Dimension, { low: number }>, v: number): number {
  return d.log ? Math.log(v) : v;
}

export function sampleUniform(d: Dimension, rng: Rng): unknown {
  if (d.kind === 'categorical') return d.choices[rng.int(d.choices.length)];
  const [lo, hi] = interval(d);
  return fromInternal(d, lo + rng.next() * (hi - lo));
}

export const randomSampler: Sampler = {
  name: 'random',
  sample: (dims, _history, rng) => Object.fromEntries(dims.map((d) => [d.path, sampleUniform(d, rng)])) as Params,
};
