/**
 * Which matMul formulations take tfjs-backend-wasm's XNNPACK path (2-D, no transposes) and which
 * fall into its naive loop, timed on the MiniLM shapes of one training step (batch 16 x length 64
 * tokens, hidden 384, FFN 1536, 12 heads): `npm run bench -- matmul [--backend wasm]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectNodeBackend } from '../src/platform/node/backend';

const argv = process.argv.slice(2);
const backend = (argv[argv.indexOf('--backend') + 1] ?? 'wasm') as 'wasm' | 'cpu';
await selectNodeBackend(argv.includes('--backend') ? backend : 'wasm');
const M = 1024;
const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

async function time(name: string, flops: number, f: () => tf.Tensor, reps = 3): Promise<void> {
  const warm = f();
  await warm.data();
  warm.dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const y = f();
    await y.data();
    y.dispose();
  }
  const ms = (performance.now() - t0) / reps;
  emit({ bench: 'matmul', backend: tf.getBackend(), case: name, ms: Math.round(ms * 10) / 10, gflops: Math.round((flops / ms / 1e6) * 10) / 10 });
}

for (const [k, n] of [
  [384, 384],
  [384, 1536],
]) {
  const x = tf.randomNormal([M, k], 0, 1, 'float32', 1);
  const w = tf.randomNormal([n, k], 0, 1, 'float32', 2);
  const dy = tf.randomNormal([M, n], 0, 1, 'float32', 3);
  const f = 2 * M * k * n;
  await time(`fwd x W^T (transposeB) ${k}->${n}`, f, () => tf.matMul(x, w, false, true));
  await time(`fwd x transpose(W) ${k}->${n}`, f, () => tf.tidy(() => tf.matMul(x, tf.transpose(w))));
  await time(`dW dy^T x (transposeA) ${k}->${n}`, f, () => tf.matMul(dy, x, true, false));
  await time(`dW transpose(dy) x ${k}->${n}`, f, () => tf.tidy(() => tf.matMul(tf.transpose(dy), x)));
  await time(`dx dy W ${k}->${n}`, f, () => tf.matMul(dy, w));
  tf.dispose([x, w, dy]);
}
const [bh, l, dh] = [192, 64, 32];
const q = tf.randomNormal([bh, l, dh], 0, 1, 'float32', 4);
const kk = tf.randomNormal([bh, l, dh], 0, 1, 'float32', 5);
const p = tf.randomNormal([bh, l, l], 0, 1, 'float32', 6);
await time('attn q k^T batched (transposeB)', 2 * bh * l * l * dh, () => tf.matMul(q, kk, false, true));
await time('attn p v batched', 2 * bh * l * l * dh, () => tf.matMul(p, kk));
await time('transpose [1024,1536]', 0, () => tf.transpose(tf.zeros([1024, 1536])));
tf.dispose([q, kk, p]);
