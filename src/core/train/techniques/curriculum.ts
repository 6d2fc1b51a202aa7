/**
 * Curriculum learning (Bengio et al. 2009; Platanios et al. 2019): training examples get a
 * difficulty score, and each epoch draws its batches from the easiest share of them, a share
 * that grows with a pacing schedule until every example is used. Plain arrays in, plain arrays
 * out, so any loop can use it; the scores come from the training examples only.
 */
import type { CurriculumConfig } from './config';

/** Tokens of the training data counted as common by the 'rare-words' score. */
export const COMMON_TOKENS = 5000;

/** Longer is harder: the token count of each (encoded) example. */
export function lengthScores(ids: ArrayLike<number>[]): Float32Array {
  return Float32Array.from(ids, (s) => s.length);
}

/**
 * Share of each example's tokens outside the `common` most frequent token ids of these examples
 * (ties by smaller id), with ids in `unknown` (the vocabulary's out-of-vocabulary id) always rare.
 */
export function rareWordScores(ids: ArrayLike<number>[], common = COMMON_TOKENS, unknown: number[] = []): Float32Array {
  const freq = new Map<number, number>();
  for (const s of ids) for (let i = 0; i < s.length; i++) freq.set(s[i], (freq.get(s[i]) ?? 0) + 1);
  const skip = new Set(unknown);
  const ranked = [...freq.entries()].filter(([id]) => !skip.has(id)).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = new Set(ranked.slice(0, common).map(([id]) => id));
  return Float32Array.from(ids, (s) => {
    if (!s.length) return 0;
    let rare = 0;
    for (let i = 0; i < s.length; i++) if (!top.has(s[i])) rare++;
    return rare / s.length;
  });
}

/** Each example's loss -log p[label] under a model's probabilities (the 'loss' and 'self-paced' scores). */
export function exampleLosses(probs: ArrayLike<number>[], labels: ArrayLike<number>): Float32Array {
  return Float32Array.from(probs, (p, i) => -Math.log(Math.max(p[labels[i]], 1e-15)));
}

/**
 * The share of the easiest examples epoch `epoch` (1-based) of `epochs` trains on. With t the
 * epochs done and T = fullAt * epochs: linear start + (1 - start) t / T; root (Platanios et al.)
 * sqrt(start² + (1 - start²) t / T); step: start until t reaches T. All reach 1 at t = T.
 */
export function pacingShare(cfg: Pick<CurriculumConfig, 'pacing' | 'start' | 'fullAt'>, epoch: number, epochs: number): number {
  const t = epoch - 1;
  const T = cfg.fullAt * epochs;
  if (t >= T) return 1;
  const c0 = cfg.start;
  const share = cfg.pacing === 'linear' ? c0 + ((1 - c0) * t) / T : cfg.pacing === 'root' ? Math.sqrt(c0 * c0 + ((1 - c0 * c0) * t) / T) : c0;
  return Math.min(1, share);
}

/** How many of n examples a share keeps: ceil(share * n), at least one. */
const kept = (share: number, n: number) => Math.max(1, Math.min(n, Math.ceil(share * n - 1e-9)));

/**
 * The easiest ceil(share * n) examples (at least one), easiest first, ties by index; with
 * `classes` (each example's class), the easiest ceil(share * n_c) of each class c.
 */
export function easiest(scores: ArrayLike<number>, share: number, classes?: ArrayLike<number>): number[] {
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  const byScore = (a: number, b: number) => scores[a] - scores[b] || a - b;
  if (!classes) return kept(share, n) === n ? idx : idx.sort(byScore).slice(0, kept(share, n));
  const groups = new Map<number, number[]>();
  for (const i of idx) groups.set(classes[i], [...(groups.get(classes[i]) ?? []), i]);
  return [...groups.values()].flatMap((g) => g.sort(byScore).slice(0, kept(share, g.length))).sort(byScore);
}

/**
 * How many examples each epoch of a curriculum uses (for step totals and the learning-rate
 * schedule): given each example's class, as `easiest` with classes picks them when the config is
 * balanced; given a count, the share of all examples.
 */
export function epochSizes(cfg: CurriculumConfig | null, classes: ArrayLike<number> | number, epochs: number): number[] {
  const n = typeof classes === 'number' ? classes : classes.length;
  const counts = new Map<number, number>();
  if (typeof classes !== 'number') for (let i = 0; i < n; i++) counts.set(classes[i], (counts.get(classes[i]) ?? 0) + 1);
  return Array.from({ length: epochs }, (_, e) => {
    if (!cfg) return n;
    const share = pacingShare(cfg, e + 1, epochs);
    return cfg.balanced && counts.size ? [...counts.values()].reduce((s, c) => s + kept(share, c), 0) : kept(share, n);
  });
}
