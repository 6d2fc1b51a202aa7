/**
 * Training techniques against the same config without them: the `transformer-small` preset (on
 * WASM: TF.js's CPU backend takes minutes per TextCNN step, and WASM lacks its convolution
 * gradient) on a stratified subset of AG News, trained through the lab with each switch on and off over the same
 * seeds. Per switch: validation accuracy mean ± std, a paired t-test over the seeds, the test
 * accuracy of each seed's pair with a paired bootstrap of the difference (the test split read
 * once, through the test-set guard), and the training-time ratio (with / without).
 *   npm run bench -- techniques [--train=4000] [--seeds=3] [--epochs=3] [--switches=fgm,rdrop,...] [--model=transformer-small]
 *                               [--backend=wasm|cpu|webgpu] [--max-validation=N] [--max-test=N]   (the last two: quick checks only)
 */
import { readFileSync } from 'node:fs';
import { aggregateSeeds, argmax, pairedBootstrap, pairedTTest } from '../src/core/eval';
import type { ResultRecord } from '../src/core/experiment/result';
import { evaluateTest } from '../src/core/guard/test-guard';
import type { LabEvent } from '../src/core/lab/api';
import { createLab } from '../src/core/lab/lab';
import { memoryStore } from '../src/core/storage/memory';
import { selectNodeBackend } from '../src/platform/node/backend';
import { Rng } from '../src/core/util/random';
import { DATA, preset } from './shared';

const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const line = (o: object) => console.log(JSON.stringify({ bench: 'techniques', ...o }));
const t0 = performance.now();
/** Phases and epochs on stderr, so a long run shows where it is; JSON lines stay alone on stdout. */
const progress = (what: string) => (e: LabEvent) => {
  const at = `[${((performance.now() - t0) / 1000).toFixed(0)}s] ${what}:`;
  if (e.type === 'phase' && e.done === 0) process.stderr.write(`${at} ${e.phase}\n`);
  if (e.type === 'import-progress' && e.done === 0) process.stderr.write(`${at} ${e.message}\n`);
  if (e.type === 'epoch') process.stderr.write(`${at} epoch ${e.epoch} done${e.validation ? `, val acc ${e.validation.accuracy.toFixed(4)}` : ''}\n`);
};

/** Each switch as the techniques block it sets; 'curriculum-loss' ranks by the same seed's run without techniques. */
const SWITCHES: Record<string, (seed: number) => object> = {
  fgm: () => ({ adversarial: { method: 'fgm' } }),
  pgd: () => ({ adversarial: { method: 'pgd' } }),
  freelb: () => ({ adversarial: { method: 'freelb' } }),
  rdrop: () => ({ rdrop: {} }),
  mixup: () => ({ mixup: {} }),
  focal: () => ({ focal: {} }),
  'class-weights': () => ({ classWeights: 'balanced' }),
  'curriculum-length': () => ({ curriculum: { score: 'length' } }),
  'curriculum-rare-words': () => ({ curriculum: { score: 'rare-words' } }),
  'curriculum-self-paced': () => ({ curriculum: { score: 'self-paced' } }),
  'curriculum-loss': (seed) => ({ curriculum: { score: 'loss', run: `base-s${seed}` } }),
};

const maxTrain = Number(arg('train', '4000'));
const seeds = Array.from({ length: Number(arg('seeds', '3')) }, (_, i) => i + 1);
const epochs = Number(arg('epochs', '3'));
const model = arg('model', 'transformer-small');
const switches = arg('switches', Object.keys(SWITCHES).join(',')).split(',');
// Quick checks on a busy machine: fewer validation texts, and a seeded sample of the test split.
const maxValidation = process.argv.some((x) => x.startsWith('--max-validation=')) ? Number(arg('max-validation', '0')) : undefined;
const maxTest = process.argv.some((x) => x.startsWith('--max-test=')) ? Number(arg('max-test', '0')) : undefined;
const backend = arg('backend', 'wasm') as 'cpu' | 'wasm' | 'webgpu';
const unknown = switches.filter((s) => !SWITCHES[s]);
if (unknown.length) throw new Error(`unknown switch ${unknown.join(', ')}; known: ${Object.keys(SWITCHES).join(', ')}`);

const store = memoryStore();
const lab = createLab({ store, selectBackend: selectNodeBackend, backend, presets: [], caller: 'bench techniques' });
const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(`${DATA}/${name}`)) });
const dataset = await lab.importDataset({ kind: 'agnews', files: ['train.csv', 'test.csv', 'classes.txt'].map(file) }, progress('import'));

function config(seed: number, techniques: object) {
  const base = preset(model);
  const m = base.model as { train: object };
  return {
    ...base,
    name: `${model}-techniques`,
    seed,
    data: { ...base.data, maxTrain, ...(maxValidation ? { maxValidation } : {}) },
    // Same epochs for every run: early stopping would end runs at different points and blur the comparison.
    // Warm-up as 10% of the steps: the preset's 100 steps are most of a short bench run, so no run would reach its peak rate.
    model: {
      ...m,
      train: {
        ...m.train,
        epochs,
        warmupSteps: Math.ceil(0.1 * Math.ceil(maxTrain / ((m.train as { batchSize?: number }).batchSize ?? 64)) * epochs),
        earlyStopping: null,
        checkpointEvery: 0,
        techniques,
      },
    },
    guard: { ...base.guard, override: { reason: `bench techniques: ${maxTrain} training texts` } },
  };
}

const records = new Map<string, ResultRecord>();
const train = async (runId: string, seed: number, techniques: object) => {
  const r = await lab.train({ datasetId: dataset.id, runId, config: config(seed, techniques) }, progress(runId));
  records.set(runId, r);
  line({ what: 'run', run: runId, seed, val_acc: round(r.validation.accuracy), train_s: round(r.timings.trainSeconds, 1) });
};
const runId = (name: string, seed: number) => `${name}-s${seed}`;
// A short unreported run first: the backend's start and first compilations would otherwise land on the first baseline's time.
await lab.train({ datasetId: dataset.id, runId: 'warm-up', config: { ...config(0, {}), data: { maxTrain: 64, maxValidation: 64 } } }, progress('warm-up'));
for (const seed of seeds) {
  await train(runId('base', seed), seed, {});
  for (const s of switches) await train(runId(s, seed), seed, SWITCHES[s](seed));
}

// One guarded read of the test split: every run predicts the same texts inside it.
const ids = [...records.keys()];
const { result: test } = await evaluateTest(
  store,
  dataset.id,
  { purpose: `bench techniques: ${switches.join(', ')} against the same config without them, ${seeds.length} seeds`, caller: 'bench techniques' },
  async (all) => {
    const examples = maxTest ? new Rng(7).shuffle([...all]).slice(0, maxTest) : all;
    const texts = examples.map((e) => e.text);
    const preds = new Map<string, number[]>();
    for (const id of ids)
      preds.set(
        id,
        (await lab.predict(id, texts)).probs.map((p) => argmax(p)),
      );
    return { accuracy: NaN, labels: examples.map((e) => e.label), preds };
  },
);
const { labels, preds } = test;
const k = dataset.classes.length;
const testAcc = (id: string) => preds.get(id)!.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0) / labels.length;
const stats = (xs: number[]) => {
  const a = aggregateSeeds(xs);
  return { mean: round(a.mean), std: round(a.std) };
};

const baseVal = seeds.map((s) => records.get(runId('base', s))!.validation.accuracy);
line({
  what: 'baseline',
  model,
  backend,
  train: maxTrain,
  validation: records.get(runId('base', seeds[0]))!.data.validation,
  test: labels.length,
  epochs,
  seeds: seeds.length,
  val_acc: stats(baseVal),
  test_acc: stats(seeds.map((s) => testAcc(runId('base', s)))),
});
for (const s of switches) {
  const val = seeds.map((seed) => records.get(runId(s, seed))!.validation.accuracy);
  const t = seeds.length > 1 ? pairedTTest(val, baseVal) : undefined;
  const perSeed = seeds.map((seed) => {
    const pb = pairedBootstrap(labels, preds.get(runId(s, seed))!, preds.get(runId('base', seed))!, k, { seed });
    return { seed, test_acc: round(testAcc(runId(s, seed))), delta: round(pb.delta), ci95: pb.ci.map((x) => round(x)), p: round(pb.pValue) };
  });
  const ratio = seeds.map((seed) => records.get(runId(s, seed))!.timings.trainSeconds / records.get(runId('base', seed))!.timings.trainSeconds);
  line({
    what: 'switch',
    switch: s,
    techniques: SWITCHES[s](seeds[0]),
    val_acc: stats(val),
    val_delta: round(aggregateSeeds(val.map((v, i) => v - baseVal[i])).mean),
    // Identical differences over the seeds give t = ±Infinity, which JSON cannot hold: said as text.
    t_test: t && { t: Number.isFinite(t.t) ? round(t.t, 3) : String(t.t), df: t.df, p: round(t.pValue) },
    test_acc: stats(perSeed.map((p) => p.test_acc)),
    paired_bootstrap: perSeed,
    train_time_ratio: stats(ratio),
  });
}
