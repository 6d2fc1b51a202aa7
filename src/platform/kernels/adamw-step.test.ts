import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ADAMW_KERNEL, AdamW } from '../../core/models/pretrained/adamw';
import { registerAdamWKernels } from './adamw-step';

/** Three AdamW steps on two parameters (one decayed, one not); the final weights. */
async function run(backend: string): Promise<number[][]> {
  await tf.setBackend(backend);
  // Created from tensors the variables copy, so nothing but the variables outlives this.
  const own = (t: tf.Tensor) => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  };
  const params = new Map<string, tf.Variable>([
    ['dense.weight', own(tf.tensor2d([1, -2, 0.5, 4, 3, -1], [2, 3]))],
    ['dense.bias', own(tf.tensor1d([0.1, -0.2]))],
  ]);
  const opt = new AdamW(params, { lr: 0.05, weightDecay: 0.1 });
  for (let s = 0; s < 3; s++) {
    const grads = new Map([...params].map(([n, p]) => [n, tf.tidy(() => tf.mul(tf.sin(tf.mul(p, s + 1)), 2))]));
    opt.step(grads);
    tf.dispose([...grads.values()]);
  }
  const out = await Promise.all([...params.values()].map(async (p) => [...(await p.data())]));
  opt.dispose();
  tf.dispose([...params.values()]);
  return out;
}

describe('fused AdamW step kernel', () => {
  it('gives the composed tensor-op step on CPU and WASM, and leaks nothing', async () => {
    // The test setup registers the fused kernel as entry points do; the composed reference runs without it.
    if (tf.getKernel(ADAMW_KERNEL, 'cpu')) tf.unregisterKernel(ADAMW_KERNEL, 'cpu');
    const composed = await run('cpu');
    registerAdamWKernels();
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const fused = await run(backend);
      expect(tf.memory().numTensors).toBe(before);
      fused.flat().forEach((v, i) => expect(v, `${backend} [${i}]`).toBeCloseTo(composed.flat()[i], 6));
    }
  });

  it('rejects mismatched shapes', () => {
    registerAdamWKernels();
    const [p, g] = [tf.zeros([2]), tf.zeros([3])];
    expect(() => tf.engine().runKernel(ADAMW_KERNEL, { param: p, grad: g, m: p, v: p }, { lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, bc1: 1, bc2Sqrt: 1 })).toThrow(
      /must be float32 of one shape/,
    );
    tf.dispose([p, g]);
  });
});
