/**
 * Seeded stratified k-fold split (each fold keeps the class proportions), used by
 * calibration and anything that needs held-out scores from the training set.
 */
import { Rng } from '../../util/random';

/** fold[i] in [0, k) for every example. */
export function stratifiedFolds(labels: ArrayLike<number>, nClasses: number, k: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const fold = new Int32Array(labels.length);
  for (let c = 0; c < nClasses; c++) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) members.push(i);
    rng.shuffle(members);
    // Deal each class round-robin so every fold gets its share of every class.
    members.forEach((i, r) => (fold[i] = r % k));
  }
  return fold;
}

/** Indices with fold === f (held out) and the rest (fit). */
export function splitFold(fold: Int32Array, f: number): { fit: Int32Array; heldOut: Int32Array } {
  const fit: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === f ? heldOut : fit).push(i);
  return { fit: Int32Array.from(fit), heldOut: Int32Array.from(heldOut) };
}
