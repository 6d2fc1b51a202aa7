/** Percentile bootstrap confidence intervals, seeded so a report can be reproduced exactly. */
import { Rng } from '../util/random';

export function bootstrapCI(n: number, statistic: (idx: Int32Array) => number, opts: { resamples?: number; level?: number; seed?: number } = {}): [number, number] {
  const B = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  const rng = new Rng(opts.seed ?? 1);
  const stats = new Float64Array(B);
  const idx = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    stats[b] = statistic(idx);
  }
  stats.sort();
  const lo = stats[Math.floor(((1 - level) / 2) * (B - 1))];
  const hi = stats[Math.ceil((1 - (1 - level) / 2) * (B - 1))];
  return [lo, hi];
}

/** CI of accuracy from per-example correctness (1/0). */
export function accuracyCI(correct: ArrayLike<number>, opts?: { resamples?: number; level?: number; seed?: number }): [number, number] {
  return bootstrapCI(
    correct.length,
    (idx) => {
      let s = 0;
      for (let i = 0; i < idx.length; i++) s += correct[idx[i]];
      return s / idx.length;
    },
    opts,
  );
}
