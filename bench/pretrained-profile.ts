/**
 * Where a fine-tuning step's time goes on a CPU backend: the MiniLM shape (batch 16, length 64,
 * random weights) timed by phase (forward, forward + backward, AdamW), then one step's kernels
 * grouped by name with their time, heaviest first. JSON lines:
 *   npm run bench -- pretrained-profile [--backend wasm|cpu] [--layers N] [--steps N] [--top N] [--shapes]
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from '../src/core/models/pretrained/adamw';
import { checkConfig } from '../src/core/models/pretrained/checkpoint';
import { gradients } from '../src/core/models/pretrained/finetune';
import { EncoderModel } from '../src/core/models/pretrained/model';
import type { HfConfig } from '../src/core/models/pretrained/types';
import { selectNodeBackend } from '../src/platform/node/backend';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));
const backend = (opt('backend') ?? 'wasm') as 'wasm' | 'cpu';
await selectNodeBackend(backend);

const [batch, length] = [16, 64];
const config = JSON.parse(readFileSync('../shared/models/shapes/minilm-l6-h384/config.json', 'utf8')) as HfConfig;
// Fewer layers profile faster; every layer runs the same kernels.
if (opt('layers')) config.num_hidden_layers = Number(opt('layers'));
const model = EncoderModel.random(checkConfig(config), config, 4, 0);
const inputIds = tf.randomUniform([batch, length], 0, Number(config.vocab_size), 'int32', 1) as tf.Tensor2D;
const attentionMask = tf.ones([batch, length], 'int32') as tf.Tensor2D;
const labels = tf.randomUniform([batch], 0, 4, 'int32', 2) as tf.Tensor1D;
const trainable = model.weights;
const optimizer = new AdamW(trainable, { lr: 1e-5, weightDecay: 0.01 });
const base = { bench: 'pretrained-profile', backend: tf.getBackend(), layers: config.num_hidden_layers, batch, length };

// CPU time next to wall time: on a shared machine the wall clock mostly measures the neighbours.
const phase = async (name: string, f: () => Promise<void>) => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await f();
  const c = process.cpuUsage(c0);
  emit({ ...base, phase: name, ms: Math.round(performance.now() - t0), cpu_ms: Math.round((c.user + c.system) / 1000) });
};
await phase('forward', async () => {
  const l = tf.tidy(() => model.forward({ inputIds, attentionMask }, { training: true, seed: 1 }).logits);
  await l.data();
  l.dispose();
});
let grads: Map<string, tf.Tensor> | undefined;
await phase('forward+backward', async () => {
  const r = gradients(model, { inputIds, attentionMask, labels }, { trainable, seed: 1 });
  await r.loss.data();
  tf.dispose([r.loss, r.correct]);
  grads = r.grads;
});
await phase('adamw', async () => {
  optimizer.step(grads!);
  await [...trainable.values()][0].data();
});
tf.dispose([...grads!.values()]);
for (let i = 0; i < Number(opt('steps') ?? 1); i++) {
  await phase('step', async () => {
    const r = gradients(model, { inputIds, attentionMask, labels }, { trainable, seed: 3 + i });
    optimizer.step(r.grads);
    await r.loss.data();
    tf.dispose([r.loss, r.correct, ...r.grads.values()]);
  });
}

const info = await tf.profile(async () => {
  const r = gradients(model, { inputIds, attentionMask, labels }, { trainable, seed: 2 });
  optimizer.step(r.grads);
  await r.loss.data();
  tf.dispose([r.loss, r.correct, ...r.grads.values()]);
});
const byName = new Map<string, { count: number; ms: number }>();
// --shapes splits each kernel by its input shapes (which matMul cases cost what).
const key = (k: (typeof info.kernels)[number]) => (argv.includes('--shapes') ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name);
for (const k of info.kernels) {
  const e = byName.get(key(k)) ?? { count: 0, ms: 0 };
  e.count++;
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  byName.set(key(k), e);
}
const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
emit({ ...base, phase: 'step kernels', kernels: info.kernels.length, kernel_ms: Math.round(total) });
for (const [name, e] of [...byName].sort((x, y) => y[1].ms - x[1].ms).slice(0, Number(opt('top') ?? 15))) {
  emit({ ...base, kernel: name, count: e.count, ms: Math.round(e.ms), share: Math.round((e.ms / total) * 1000) / 1000 });
}
optimizer.dispose();
model.dispose();
tf.dispose([inputIds, attentionMask, labels]);
