/**
 * Seeded, stratified sampling: the validation split carved from train, and the optional
 * `maxTrain` subset taken before it. Stratified so that small classes are neither lost nor
 * over-represented; seeded (one Rng per purpose, derived from the user's seed) so the same
 * seed gives the same examples on every machine. Outputs keep the source order.
 */
import { InputError } from '../util/errors';
import { deriveSeed, Rng } from '../util/random';

export const DEFAULT_VALIDATION_FRACTION = 0.1;
export const DEFAULT_SPLIT_SEED = 42;

/** Positions of the rows of each class, in source order. */
function byClass(rows: { label: number }[], classCount: number): number[][] {
  const groups: number[][] = Array.from({ length: classCount }, () => []);
  rows.forEach((r, k) => groups[r.label].push(k));
  return groups;
}

/** The rows whose positions are marked, in source order. */
function pick<T>(rows: T[], marked: Uint8Array, want: 0 | 1): T[] {
  const out: T[] = [];
  for (let k = 0; k < rows.length; k++) if (marked[k] === want) out.push(rows[k]);
  return out;
}

export function checkFraction(fraction: number): void {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction >= 1) {
    throw new InputError(`validationFraction must be in [0, 1), got ${fraction}`, { field: 'validationFraction' });
  }
}

/**
 * Moves round(n * fraction) rows of each class to validation, leaving at least one in train
 * for every class that has any.
 */
export function splitValidation<T extends { label: number }>(rows: T[], classCount: number, fraction: number, seed: number): { train: T[]; validation: T[] } {
  checkFraction(fraction);
  const rng = new Rng(deriveSeed(seed, 'validation-split'));
  const marked = new Uint8Array(rows.length);
  for (const group of byClass(rows, classCount)) {
    const take = Math.min(Math.round(group.length * fraction), Math.max(group.length - 1, 0));
    if (take === 0) continue;
    rng.shuffle(group);
    for (let k = 0; k < take; k++) marked[group[k]] = 1;
  }
  return { train: pick(rows, marked, 0), validation: pick(rows, marked, 1) };
}

/**
 * Per-class quotas summing to `max`, proportional to class sizes (largest remainder), with
 * one row for every non-empty class when `max` allows it.
 */
export function stratifiedQuotas(sizes: number[], max: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (max >= total) return [...sizes];
  const exact = sizes.map((s) => (s * max) / total);
  const quotas = exact.map(Math.floor);
  let left = max - quotas.reduce((a, b) => a + b, 0);
  const order = sizes.map((_, k) => k).sort((a, b) => exact[b] - quotas[b] - (exact[a] - quotas[a]) || a - b);
  for (const k of order) {
    if (left === 0) break;
    if (quotas[k] < sizes[k]) {
      quotas[k]++;
      left--;
    }
  }
  const present = sizes.filter((s) => s > 0).length;
  if (max >= present) {
    for (let k = 0; k < sizes.length; k++) {
      if (sizes[k] === 0 || quotas[k] > 0) continue;
      // Borrow from the class with the largest quota; it can spare one.
      const donor = quotas.indexOf(Math.max(...quotas));
      quotas[donor]--;
      quotas[k] = 1;
    }
  }
  return quotas;
}

/** A stratified, seeded subset of at most `max` rows (all rows when there are fewer). */
export function stratifiedSubset<T extends { label: number }>(rows: T[], classCount: number, max: number, seed: number): T[] {
  if (!Number.isInteger(max) || max < 1) throw new InputError(`maxTrain must be a positive integer, got ${max}`, { field: 'maxTrain' });
  if (max >= rows.length) return rows;
  const groups = byClass(rows, classCount);
  const quotas = stratifiedQuotas(
    groups.map((g) => g.length),
    max,
  );
  const rng = new Rng(deriveSeed(seed, 'train-subset'));
  const marked = new Uint8Array(rows.length);
  groups.forEach((group, c) => {
    rng.shuffle(group);
    for (let k = 0; k < quotas[c]; k++) marked[group[k]] = 1;
  });
  return pick(rows, marked, 1);
}
