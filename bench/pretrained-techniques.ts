/**
 * The pretrained loop's training techniques and gradual unfreezing against the same run without
 * them: the tiny-bert checkpoint (../shared/models/tiny-bert) fully fine-tuned on a seeded sample
 * of the shared AG News train file, each switch on its own, same seed. Per switch: the fit's wall
 * time and its ratio to the plain run (FGM and R-Drop cost about 2 passes, PGD steps + 1, FreeLB
 * steps), and validation accuracy on held-out train rows (the test file is not read). tiny-bert is
 * a random 2-layer test checkpoint: its accuracy only shows that a run learns, not what a switch is worth.
 *   npm run bench -- pretrained-techniques [--train=512] [--validation=512] [--epochs=1] [--seed=1]
 *                                          [--switches=off,fgm,...] [--backend=cpu|wasm|webgpu]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { argmax } from '../src/core/eval/metrics';
import { parseExperimentConfig } from '../src/core/experiment/config';
import { createEstimator } from '../src/core/models/registry';
import { createAssetStore } from '../src/core/storage/asset-store';
import { memoryStore } from '../src/core/storage/memory';
import { Rng } from '../src/core/util/random';
import { selectNodeBackend } from '../src/platform/node/backend';
import { agNewsTrainTest } from './shared';

const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
const line = (o: object) => console.log(JSON.stringify({ bench: 'pretrained-techniques', ...o }));

const SWITCHES: Record<string, object> = {
  off: {},
  fgm: { techniques: { adversarial: { method: 'fgm' } } },
  pgd: { techniques: { adversarial: { method: 'pgd' } } },
  freelb: { techniques: { adversarial: { method: 'freelb' } } },
  rdrop: { techniques: { rdrop: {} } },
  mixup: { techniques: { mixup: {} } },
  focal: { techniques: { focal: {} } },
  'class-weights': { techniques: { classWeights: 'balanced' } },
  'curriculum-length': { techniques: { curriculum: { score: 'length' } } },
  'curriculum-self-paced': { techniques: { curriculum: { score: 'self-paced' } } },
  unfreeze: { unfreeze: { every: 1, unit: 'step' }, layerDecay: 0.385 },
};

const nTrain = Number(arg('train', '512'));
const nValidation = Number(arg('validation', '512'));
const epochs = Number(arg('epochs', '1'));
const seed = Number(arg('seed', '1'));
// The plain run again at the end shows how much the machine drifted over the run (ratios use the first).
const switches = arg('switches', [...Object.keys(SWITCHES), 'off'].join(',')).split(',');
const unknown = switches.filter((s) => !SWITCHES[s]);
if (unknown.length) throw new Error(`unknown switch ${unknown.join(', ')}; known: ${Object.keys(SWITCHES).join(', ')}`);

const backend = await selectNodeBackend(arg('backend', 'cpu') as 'cpu' | 'wasm' | 'webgpu');
const { train: all, classes } = await agNewsTrainTest();
const order = new Rng(seed).shuffle(all.map((_, i) => i));
const train = order.slice(0, nTrain).map((i) => all[i]);
const validation = order.slice(nTrain, nTrain + nValidation).map((i) => all[i]);
const assets = createAssetStore({ store: memoryStore(), readFile: async (p) => new Uint8Array(readFileSync(p)) });
const base = `file:${resolve('../shared/models/tiny-bert')}`;

const configOf = (settings: object, n = epochs) =>
  parseExperimentConfig({ model: { type: 'pretrained', base, maxLength: 64, train: { lr: 1e-3, batchSize: 16, epochs: n, warmupRatio: 0.1, ...settings } } }).model;
// Warm-up, not reported: the tokenizer library's import, the backend's kernels and the base's first read.
const warm = createEstimator(configOf({}, 1));
await warm.fit(train.slice(0, 16), { classes, seed, assets });
warm.dispose();

let plainSeconds: number | undefined;
for (const name of switches) {
  const est = createEstimator(configOf(SWITCHES[name]));
  const t0 = performance.now();
  const summary = await est.fit(train, { classes, seed, assets });
  const seconds = (performance.now() - t0) / 1000;
  const probs = await est.predictProba(validation.map((e) => e.text));
  const accuracy = probs.filter((p, i) => argmax(p) === validation[i].label).length / validation.length;
  est.dispose();
  if (name === 'off') plainSeconds ??= seconds;
  line({
    switch: name,
    model: 'tiny-bert',
    backend: backend.backend,
    train: train.length,
    epochs,
    steps: summary.steps,
    seconds: Math.round(seconds * 100) / 100,
    ...(plainSeconds ? { timeRatio: Math.round((seconds / plainSeconds) * 100) / 100 } : {}),
    valAccuracy: Math.round(accuracy * 10000) / 10000,
  });
}
