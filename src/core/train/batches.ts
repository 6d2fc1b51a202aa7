/**
 * Token-id batches. Sequences are padded with id 0 to the longest in the batch; the mask
 * marks real tokens. Sorting by length inside shuffled windows (length bucketing) keeps
 * padding low without giving up the randomness of the order.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/random';

export interface Encoded {
  ids: Int32Array[];
  labels: Int32Array;
  /** A teacher's probabilities per example (distillation), indexed like `ids`: a row follows its example into any batch. */
  teacher?: Float32Array[];
}

export interface Batch {
  /** Host copy of the padded ids (row-major [size, len]), for models that work on the ids they touch. */
  hostIds: Int32Array;
  len: number;
  ids: tf.Tensor2D;
  mask: tf.Tensor2D;
  labels: tf.Tensor1D;
  /** The members' teacher probabilities [size, K], when the data has them. */
  teacher?: tf.Tensor2D;
  size: number;
  tokens: number;
}

/** One epoch's order: a seeded shuffle, then length-sorted inside windows of `bucket` batches. */
export function epochOrder(lengths: ArrayLike<number>, batchSize: number, rng: Rng, bucket = 20): number[][] {
  const n = lengths.length;
  const idx = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const batches: number[][] = [];
  const window = batchSize * bucket;
  for (let w = 0; w < n; w += window) {
    // Stable sort on a shuffled window: ties keep their random order.
    const chunk = idx.slice(w, w + window).sort((a, b) => lengths[a] - lengths[b]);
    for (let b = 0; b < chunk.length; b += batchSize) batches.push(chunk.slice(b, b + batchSize));
  }
  return rng.shuffle(batches);
}

export function makeBatch(data: Encoded, members: number[], maxLen?: number): Batch {
  let len = 1;
  for (const i of members) len = Math.max(len, data.ids[i].length);
  if (maxLen) len = Math.min(len, maxLen);
  const ids = new Int32Array(members.length * len);
  const mask = new Float32Array(members.length * len);
  const labels = new Int32Array(members.length);
  const k = data.teacher?.[0]?.length ?? 0;
  const teacher = data.teacher ? new Float32Array(members.length * k) : undefined;
  let tokens = 0;
  members.forEach((m, r) => {
    teacher?.set(data.teacher![m], r * k);
    const seq = data.ids[m];
    const n = Math.min(seq.length, len);
    ids.set(seq.subarray(0, n), r * len);
    mask.fill(1, r * len, r * len + n);
    labels[r] = data.labels[m];
    tokens += n;
  });
  return {
    hostIds: ids,
    len,
    ids: tf.tensor2d(ids, [members.length, len], 'int32'),
    mask: tf.tensor2d(mask, [members.length, len], 'float32'),
    labels: tf.tensor1d(labels, 'int32'),
    teacher: teacher && tf.tensor2d(teacher, [members.length, k], 'float32'),
    size: members.length,
    tokens,
  };
}

export function disposeBatch(b: Batch): void {
  b.ids.dispose();
  b.mask.dispose();
  b.labels.dispose();
  b.teacher?.dispose();
}
