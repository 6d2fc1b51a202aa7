/** Small helpers for TF.js variables shared by the neural models. */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';

/** A variable that owns its value: tf.variable() otherwise keeps the source tensor alive. */
export const owned = (make: () => tf.Tensor): tf.Variable => tf.tidy(() => tf.variable(make(), true));

/** Reads a variable back without blocking (dataSync stalls WebGPU). */
export async function readVariable(v: tf.Variable): Promise<NamedTensor> {
  return { dtype: 'F32', shape: v.shape, data: Float32Array.from((await v.data()) as Float32Array) };
}
