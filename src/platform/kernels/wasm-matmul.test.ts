import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '../node/gradients';
import { registerWasmIdentity } from './wasm-identity';
import { registerWasmMatMul } from './wasm-matmul';

type Case = { a: number[]; b: number[]; ta?: boolean; tb?: boolean };

// Every route of the kernel: 2-D with each transpose, a shared right-hand side folded into rows,
// a shared left-hand side, per-item products on views (with transposes, 4-D), and a broadcast over
// two batch axes that keeps the stock kernel. tfjs-core's matMul gradient cannot reduce over a
// broadcast batch, so those cases check values only.
const CASES: Case[] = [
  { a: [5, 3], b: [3, 4] },
  { a: [5, 3], b: [4, 3], tb: true },
  { a: [3, 5], b: [3, 4], ta: true },
  { a: [3, 5], b: [4, 3], ta: true, tb: true },
  { a: [2, 5, 3], b: [3, 4] },
  { a: [2, 5, 3], b: [4, 3], tb: true },
  { a: [5, 3], b: [2, 3, 4] },
  { a: [3, 2, 5, 3], b: [3, 2, 4, 3], tb: true },
  { a: [3, 2, 3, 5], b: [3, 2, 3, 4], ta: true },
  { a: [2, 1, 5, 3], b: [1, 3, 3, 4] },
];

const values = (shape: number[], seed: number) => Array.from({ length: shape.reduce((n, d) => n * d, 1) }, (_, i) => Math.sin(seed * 7 + i * 1.3));

async function products(backend: string): Promise<{ y: number[]; ga: number[]; gb: number[] }[]> {
  await tf.setBackend(backend);
  const out = [];
  for (const [i, c] of CASES.entries()) {
    const a = tf.tensor(values(c.a, i), c.a);
    const b = tf.tensor(values(c.b, i + 50), c.b);
    const f = (x: tf.Tensor, z: tf.Tensor) => tf.matMul(x, z, c.ta, c.tb);
    const y = f(a, b);
    const broadcast = c.a.slice(0, -2).join() !== c.b.slice(0, -2).join();
    // Weighted sum, so each output element's gradient differs.
    const [ga, gb] = broadcast
      ? [tf.zeros([0]), tf.zeros([0])]
      : tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(f(x, z), tf.tensor(values(y.shape, 99), y.shape))))([a, b]);
    out.push({ y: [...(await y.data())], ga: [...(await ga.data())], gb: [...(await gb.data())] });
    tf.dispose([a, b, y, ga, gb]);
  }
  return out;
}

describe('wasm BatchMatMul on XNNPACK for every transpose and batch case', () => {
  it('matches the CPU backend in values and gradients, and leaks nothing', async () => {
    const want = await products('cpu');
    registerWasmMatMul();
    registerWasmIdentity();
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const got = await products('wasm');
    expect(tf.memory().numTensors).toBe(before);
    for (const [i, w] of want.entries()) {
      for (const k of ['y', 'ga', 'gb'] as const) {
        expect(got[i][k].length, `case ${i} ${k}`).toBe(w[k].length);
        got[i][k].forEach((v, j) => expect(v, `case ${i} ${k}[${j}]`).toBeCloseTo(w[k][j], 4));
      }
    }
  });

  it('Identity shares the buffer: a clone reads the same values and outlives its source', async () => {
    registerWasmIdentity();
    await tf.setBackend('wasm');
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect([...(await y.data())]).toEqual([1, 2, 3]);
    y.dispose();
  });

  it('a transpose that moves only size-1 axes shares the buffer; others still move the data', async () => {
    registerWasmIdentity();
    await tf.setBackend('wasm');
    const x = tf.tensor([1, 2, 3, 4, 5, 6], [1, 2, 1, 3]);
    const same = tf.transpose(x, [2, 1, 0, 3]);
    const moved = tf.transpose(x, [0, 3, 2, 1]);
    expect(same.shape).toEqual([1, 2, 1, 3]);
    expect([...(await same.data())]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(moved.shape).toEqual([1, 3, 1, 2]);
    expect([...(await moved.data())]).toEqual([1, 4, 2, 5, 3, 6]);
    tf.dispose([x, same, moved]);
  });
});
