/**
 * Where a fine-tuning step's time goes on a GPU: the MiniLM shape (batch 16, length 64) timed by
 * phase (forward alone, forward + backward, AdamW alone) and, for one step, TF.js's kernel list
 * grouped by kernel (count and, where the backend times kernels, milliseconds). Run by run.sh
 * with GPUBENCH_SCRIPT=profile.mjs; JSON lines on stdout.
 */
import * as tf from '@tensorflow/tfjs-core';
// Registers every gradient on the same tfjs-core instance (training steps need them).
import '../../src/platform/node/gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdamW } from '../../src/core/models/pretrained/adamw';
import { checkConfig } from '../../src/core/models/pretrained/checkpoint';
import { gradients } from '../../src/core/models/pretrained/finetune';
import { EncoderModel } from '../../src/core/models/pretrained/model';
import type { HfConfig } from '../../src/core/models/pretrained/types';

const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));
const argv = process.argv.slice(2);
const shapes = argv[argv.indexOf('--shapes') + 1] ?? 'shapes';

const { create, globals } = await import('webgpu');
Object.assign(globalThis, globals);
const gpu = create([]);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) throw new Error('no WebGPU adapter');
Object.defineProperty(globalThis, 'navigator', { value: { ...(globalThis.navigator ?? {}), gpu }, configurable: true, writable: true });
await import('@tensorflow/tfjs-backend-webgpu');
await tf.setBackend('webgpu');
await tf.ready();

for (const [shape, batch, length] of [
  ['minilm-l6-h384', 16, 64],
  ['minilm-l6-h384', 64, 128],
] as const) {
  const config = JSON.parse(readFileSync(join(shapes, shape, 'config.json'), 'utf8')) as HfConfig;
  const arch = checkConfig(config);
  const model = EncoderModel.random(arch, config, 4, 0);
  const inputIds = tf.randomUniform([batch, length], 0, Number(config.vocab_size), 'int32', 1) as tf.Tensor2D;
  const attentionMask = tf.ones([batch, length], 'int32') as tf.Tensor2D;
  const labels = tf.randomUniform([batch], 0, 4, 'int32', 2) as tf.Tensor1D;
  const trainable = model.weights;
  const optimizer = new AdamW(trainable, { lr: 1e-5, weightDecay: 0.01 });
  const timeIt = async (name: string, f: () => Promise<void>, n = 3) => {
    await f();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await f();
    emit({ bench: 'gpu-profile', shape, batch, length, phase: name, ms: Number(((performance.now() - t0) / n).toFixed(1)) });
  };
  await timeIt('forward', async () => {
    const l = tf.tidy(() => model.forward({ inputIds, attentionMask }, { training: true, seed: 1 }).logits);
    await l.data();
    l.dispose();
  });
  await timeIt('forward+backward', async () => {
    const r = gradients(model, { inputIds, attentionMask, labels }, { trainable, seed: 1 });
    await r.loss.data();
    tf.dispose([r.loss, r.correct, ...r.grads.values()]);
  });
  const r = gradients(model, { inputIds, attentionMask, labels }, { trainable, seed: 1 });
  tf.dispose([r.loss, r.correct]);
  const grads = r.grads;
  await timeIt('adamw', async () => {
    optimizer.step(grads);
    const w = trainable.values().next().value as tf.Tensor;
    await w.data();
  });
  const prof = await tf.profile(async () => {
    const g = gradients(model, { inputIds, attentionMask, labels }, { trainable, seed: 1 });
    optimizer.step(g.grads);
    await g.loss.data();
    tf.dispose([g.loss, g.correct, ...g.grads.values()]);
  });
  const byKernel = new Map<string, { count: number; ms: number }>();
  for (const k of prof.kernels) {
    const e = byKernel.get(k.name) ?? { count: 0, ms: 0 };
    e.count++;
    const t = await (k as unknown as { kernelTimeMs: number | Promise<number> | { error: string } }).kernelTimeMs;
    if (typeof t === 'number') e.ms += t;
    byKernel.set(k.name, e);
  }
  const top = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms || b[1].count - a[1].count).slice(0, 20);
  emit({ bench: 'gpu-profile-kernels', shape, batch, length, kernels: prof.kernels.length, top: top.map(([name, e]) => ({ name, count: e.count, ms: Number(e.ms.toFixed(2)) })) });
  tf.dispose([...grads.values(), inputIds, attentionMask, labels]);
  optimizer.dispose();
  model.dispose();
}
process.exit(0);
