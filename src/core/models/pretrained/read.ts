/**
 * Reads variables back to plain arrays asynchronously: Dawn's WebGPU in Node has no synchronous
 * read, and in browsers a synchronous read stalls the GPU pipeline.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';

export async function readTensor(t: tf.Tensor): Promise<NamedTensor> {
  return { dtype: 'F32', shape: t.shape, data: (await t.data()) as Float32Array };
}

export async function readTensors(tensors: ReadonlyMap<string, tf.Tensor>): Promise<Record<string, NamedTensor>> {
  const out: Record<string, NamedTensor> = {};
  for (const [name, t] of tensors) out[name] = await readTensor(t);
  return out;
}
