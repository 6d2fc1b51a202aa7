/**
 * Estimates against measured runs.
 *   npm run bench -- estimates [--presets=a,b] [--max-train=N] [--backend=auto|wasm|cpu|webgpu]
 * For every preset that trains here (the Hub-based pretrained presets cannot download here: their
 * estimate is printed, and `npm run bench -- pretrained` sets the same peak-memory figure against a
 * measured step on each real shape), the lab's own estimate is printed beside the lab's own run of the same config on the
 * shared AG News files: seconds per epoch and in all, peak memory, the checkpoint, and the ratio
 * estimated / measured. Tensor presets train one epoch on --max-train examples (default 1,024);
 * the plain-TypeScript ones train as shipped on the whole file. The calibrations are measured in
 * this run (a fresh in-memory store), on this machine, beside the runs they predict.
 * Goal: time within 1.5x, memory within 20%.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice } from '../src/core/experiment/result';
import { createLab } from '../src/core/lab/lab';
import type { LabEvent, PresetInfo } from '../src/core/lab/api';
import { loadTrainingData } from '../src/core/data';
import { createEstimator } from '../src/core/models/registry';
import { memoryStore } from '../src/core/storage/memory';
import { readLocalFile } from '../src/platform/node/assets';
import { selectNodeBackend } from '../src/platform/node/backend';
import { runDirs } from '../src/platform/node/run-dirs';
import { DATA, preset } from './shared';

const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const line = (o: object) => console.log(JSON.stringify({ bench: 'estimates', ...o }));

/** Presets that need the Hub for their base: not trained here. */
const HUB = ['distilbert', 'bert-base-lora', 'deberta-v3-base-lora', 'minilm'];
const TRAINABLE = [
  'quickstart-nb',
  'tfidf-nb',
  'tfidf-sgd',
  'tfidf-logreg',
  'tfidf-svm',
  'fasttext-cpu',
  'quickstart-fasttext',
  'fasttext',
  'textcnn',
  'transformer-small',
  'bigru',
  'tiny-bert',
];
const names = arg('presets', TRAINABLE.join(',')).split(',');
const maxTrain = Number(arg('max-train', '1024'));
const backendChoice = arg('backend', 'auto') as BackendChoice;

const store = memoryStore();
const out = mkdtempSync(join(tmpdir(), 'agnews-bench-estimates-'));
const presets: PresetInfo[] = names.map((n) => ({ name: n, description: '', config: preset(n) }));
const lab = createLab({
  store,
  runs: runDirs(),
  selectBackend: selectNodeBackend,
  backend: backendChoice,
  readFile: readLocalFile,
  presets,
  caller: 'bench estimates',
  // Typed arrays (TF-IDF rows, weight tables) live outside V8's heap: both count.
  heapBytes: () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers,
});
const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(`${DATA}/${name}`)) });
const dataset = await lab.importDataset({ kind: 'agnews', files: ['train.csv', 'test.csv', 'classes.txt'].map(file) });
const datasetId = dataset.id;

/** A tensor preset bounded to one epoch of `maxTrain` examples (and as many validation texts); a plain one as shipped. */
function bounded(name: string) {
  const cfg = preset(name);
  if (!('train' in cfg.model) || ('optimizer' in cfg.model.train && cfg.model.train.optimizer === 'fasttext-sgd')) return cfg;
  cfg.model.train.epochs = 1;
  return { ...cfg, data: { maxTrain, maxValidation: maxTrain }, guard: { ...cfg.guard, override: { reason: `bench: ${maxTrain} training texts, one epoch` } } };
}

/** Peak bytes of every tensor alive while the config fits three batches (weights, gradients, optimizer state, activations). */
async function measuredTensorPeak(config: ReturnType<typeof bounded>): Promise<number | undefined> {
  const model = config.model;
  if (!('train' in model) || model.type === 'pretrained') return undefined;
  const data = await loadTrainingData(store, datasetId);
  const slice = data.train.slice(0, 3 * model.train.batchSize);
  const e = createEstimator({ ...model, train: { ...model.train, epochs: 1, earlyStopping: null, checkpointEvery: 0 } } as typeof model);
  try {
    const info = await tf.profile(async () => void (await e.fit(slice, { classes: data.meta.classes, seed: 1 })));
    return info.peakBytes;
  } finally {
    e.dispose();
  }
}

for (const name of names) {
  if (HUB.includes(name)) continue;
  const config = bounded(name);
  try {
    const est = await lab.estimate({ datasetId, config });
    const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    // overwrite: a missing kernel restarts the run on the next backend in the same folder.
    // A tensor loop's epoch event times its batches, before the epoch's validation: what secondsPerEpoch estimates.
    let epochSeconds = 0;
    const onEvent = (e: LabEvent) => void (e.type === 'epoch' && (epochSeconds += e.seconds));
    const r = await lab.train({ datasetId, config, runId: join(out, name), overwrite: true }, onEvent);
    const epochs = r.epochs ?? 1;
    const plain = r.device?.plainTypeScript === true;
    // The fit's seconds also hold each epoch's validation and checkpoints, which the estimate counts apart.
    const measuredEpoch = (plain || !epochSeconds ? r.timings.trainSeconds : epochSeconds) / epochs;
    // Classical solvers stop at their own tolerance: set the whole fit against the estimated one, not an "epoch".
    const estTrain = est.secondsPerEpoch * est.epochs;
    const tensorPeak = plain ? undefined : await measuredTensorPeak(config);
    // Plain TypeScript has no tensor pool: its peak is the JS heap's rise over the run.
    const measuredPeak = plain ? (r.efficiency?.peakHeapBytes ?? NaN) - heapBefore : tensorPeak;
    line({
      preset: name,
      backend: r.backend,
      train: r.data.train,
      epochs,
      est_s_per_epoch: round(est.secondsPerEpoch, 2),
      s_per_epoch: round(measuredEpoch, 2),
      est_train_s: round(estTrain, 2),
      train_s: round(r.timings.trainSeconds, 2),
      train_ratio: round(estTrain / (plain ? r.timings.trainSeconds : measuredEpoch * epochs)),
      est_total_s: round(est.seconds, 2),
      total_s: round(r.timings.totalSeconds, 2),
      total_ratio: round(est.seconds / r.timings.totalSeconds),
      est_peak_mb: round(est.peakBytes / 2 ** 20, 1),
      peak_mb: measuredPeak === undefined ? null : round(measuredPeak / 2 ** 20, 1),
      peak_ratio: measuredPeak ? round(est.peakBytes / measuredPeak) : null,
      peak_measured_as: plain ? 'JS heap rise over the run' : 'tf.profile peakBytes over 3 training batches',
      est_checkpoint_mb: round(est.checkpointBytes / 2 ** 20, 2),
      model_mb: round((r.modelBytes ?? NaN) / 2 ** 20, 2),
      est_parameters: est.parameters,
      parameters: r.parameters,
    });
  } catch (e) {
    line({ preset: name, error: (e as Error).message });
  }
}

// The Hub presets cannot train here: their estimate is printed, and its peak is the one `npm run bench -- pretrained`
// sets against a measured training step on each base's real shape (its pretrained-memory rows, the same memory.ts figure).
for (const name of names.filter((n) => HUB.includes(n))) {
  const est = await lab.estimate({ datasetId, config: preset(name) });
  line({
    preset: name,
    trained: false,
    why: 'its base downloads from the Hub',
    est_s_per_epoch: round(est.secondsPerEpoch, 0),
    est_total_s: round(est.seconds, 0),
    est_peak_mb: round(est.peakBytes / 2 ** 20, 1),
    est_checkpoint_mb: round(est.checkpointBytes / 2 ** 20, 2),
    problems: est.problems,
  });
}

rmSync(out, { recursive: true, force: true });
