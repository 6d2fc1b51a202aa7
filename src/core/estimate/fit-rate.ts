/**
 * The measured rate of a config trained from scratch: its own fit timed on two sizes of a
 * synthetic AG News-like corpus, so the fixed part (allocating a million bucket rows, starting
 * the kernels) and the part that grows with the examples are told apart and extrapolated to the
 * dataset's size; and its prediction timed in batches and one text at a time, as the pipeline
 * scores validation and probes latency. Plain-TypeScript trainers (classical, fastText's own SGD)
 * fit a few thousand texts; tensor models one epoch of a few batches on the backend TF.js runs,
 * where per-step costs a FLOP count cannot see (kernel launches, a sparse update's bookkeeping,
 * a GRU's one step per token) dominate small models. Cached per device and config in the store.
 */
import type { ModelConfig } from '../models/registry';
import { createEstimator } from '../models/registry';
import type { BlobStore } from '../storage/port';
import { canonicalJson } from '../eval/serialize';
import { sha256Hex } from '../util/hash';
import { SYNTHETIC_VERSION, syntheticCorpus } from './synthetic';

export interface FitRate {
  /** What was timed: the model config's hash, and on which device (calibration.ts deviceOf, or plain TypeScript). */
  config: string;
  device: string;
  /** Seconds a fit takes whatever its size. */
  fixedSeconds: number;
  /** Seconds each training example adds to the fit (every epoch or solver pass of the timed fit included). */
  fitSecondsPerExample: number;
  /** Epochs the timed fit ran (tensor models: one). */
  epochs: number;
  /** Parameters of the model fitted on the synthetic corpus (its vocabulary is smaller than a real one). */
  parameters: number;
  /** Seconds to predict one text in batches, and one call with a single text. */
  predictSecondsPerExample: number;
  predictCallSeconds: number;
  /** Seconds to put one byte of the fitted model into its saved form (the pipeline then hashes and writes it). */
  saveSecondsPerByte: number;
  shape: string;
  /** How long the measurement took. */
  seconds: number;
  measuredAt: string;
}

/** Plain TypeScript: small enough for seconds on a loaded laptop, far enough apart for a slope. */
export const PLAIN_SIZES = [1000, 3000] as const;
/** Tensor models: batches of the config's own size. */
export const TENSOR_BATCHES = [2, 6] as const;
const CLASSES = ['World', 'Sports', 'Business', 'Sci/Tech'];
const SINGLE_CALLS = 5;
const TENSOR_REPEATS = 2;

/** Changes whenever the timing does (2: tensor fits after a warm-up), so rates timed the older way are measured again. */
const RATE_METHOD = 2;

/** Where a config's rate is kept in the lab's store. */
export const fitRateKey = async (model: ModelConfig, device: string) =>
  `estimate/fit-rate/${(await sha256Hex(canonicalJson({ model, device, corpus: SYNTHETIC_VERSION, method: RATE_METHOD }))).slice(0, 24)}.json`;

export async function cachedFitRate(store: BlobStore, model: ModelConfig, device: string): Promise<FitRate | undefined> {
  const bytes = await store.read(await fitRateKey(model, device));
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as FitRate) : undefined;
}

/** The config as timed: tensor loops run one epoch with no mid-run checkpoint, validation or early stop. */
function timedConfig(model: ModelConfig): { model: ModelConfig; sizes: readonly number[]; epochs: number; warmUp: number } {
  if (!('train' in model) || model.type === 'pretrained' || model.train.optimizer === 'fasttext-sgd')
    return { model, sizes: PLAIN_SIZES, epochs: 'train' in model && 'epochs' in model.train ? model.train.epochs : 1, warmUp: 0 };
  const train = { ...model.train, epochs: 1, checkpointEvery: 0, evalEvery: 0, earlyStopping: null };
  return { model: { ...model, train } as ModelConfig, sizes: TENSOR_BATCHES.map((b) => b * model.train.batchSize), epochs: 1, warmUp: model.train.batchSize };
}

async function timedFit(model: ModelConfig, n: number) {
  const corpus = syntheticCorpus(n);
  const estimator = createEstimator(model);
  try {
    const t0 = performance.now();
    await estimator.fit(corpus, { classes: CLASSES, seed: 1 });
    const fit = (performance.now() - t0) / 1000;
    const texts = corpus.slice(0, Math.min(512, n)).map((e) => e.text);
    const t1 = performance.now();
    await estimator.predictProba(texts);
    const batched = (performance.now() - t1) / 1000 / texts.length;
    await estimator.predictProba([texts[0]]);
    const t2 = performance.now();
    for (let i = 0; i < SINGLE_CALLS; i++) await estimator.predictProba([texts[i + 1]]);
    const single = (performance.now() - t2) / 1000 / SINGLE_CALLS;
    const t3 = performance.now();
    const artifact = await estimator.save();
    const saved = Object.values(artifact.tensors).reduce((n, t) => n + t.data.byteLength, 0);
    return { fit, batched, single, save: (performance.now() - t3) / 1000 / Math.max(1, saved), parameters: estimator.parameterCount() };
  } finally {
    estimator.dispose();
  }
}

type Timed = Awaited<ReturnType<typeof timedFit>>;
const faster = (a: Timed, b: Timed): Timed => ({
  ...(a.fit <= b.fit ? a : b),
  batched: Math.min(a.batched, b.batched),
  single: Math.min(a.single, b.single),
  save: Math.min(a.save, b.save),
});

/** Times the config on both sizes (on the backend TF.js runs now, for a tensor model) and keeps the rate in the store. */
export async function measureFitRate(store: BlobStore, model: ModelConfig, device: string): Promise<FitRate> {
  const t0 = performance.now();
  const timed = timedConfig(model);
  const [n1, n2] = timed.sizes;
  // A tensor model's first fit in a process also pays the backend's one-off start (kernel setup, first
  // allocations): timed cold, the smaller fit took longer than the larger (3.8 s for 2 batches, 2.0 s
  // for 6, transformer-small on WASM), the slope came out negative and the rate ~5x low. A one-batch fit
  // first takes that cost; what it took beyond a warm batch is kept as part of the fixed seconds.
  const warm = timed.warmUp ? (await timedFit(timed.model, timed.warmUp)).fit : 0;
  // Load from other processes only ever adds time: a tensor model's fits (seconds) are timed twice, interleaved, and
  // the faster kept, so one slow moment does not skew the slope (2.5x between two runs on a loaded 2-core machine).
  let small = await timedFit(timed.model, n1);
  let large = await timedFit(timed.model, n2);
  for (let i = 1; i < (timed.warmUp ? TENSOR_REPEATS : 1); i++) {
    small = faster(small, await timedFit(timed.model, n1));
    large = faster(large, await timedFit(timed.model, n2));
  }
  const slope = Math.max(0, (large.fit - small.fit) / (n2 - n1));
  // A noisy pair (another process took the CPU during the larger fit's start) could give a slope near 0: never below half the larger fit's average.
  const perExample = Math.max(slope, (0.5 * large.fit) / n2);
  const fixed = Math.max(0, large.fit - perExample * n2);
  const rate: FitRate = {
    config: (await sha256Hex(canonicalJson(model))).slice(0, 16),
    device,
    fixedSeconds: fixed + (timed.warmUp ? Math.max(0, warm - fixed - perExample * timed.warmUp) : 0),
    fitSecondsPerExample: perExample,
    epochs: timed.epochs,
    parameters: large.parameters,
    predictSecondsPerExample: (small.batched + large.batched) / 2,
    predictCallSeconds: Math.min(small.single, large.single),
    saveSecondsPerByte: large.save,
    shape: `${model.type} fitted on ${n1} and ${n2} synthetic AG News-like texts${timed.epochs === 1 && n1 < PLAIN_SIZES[0] ? ' (one epoch)' : ''}`,
    seconds: (performance.now() - t0) / 1000,
    measuredAt: new Date().toISOString(),
  };
  await store.commit([{ path: await fitRateKey(model, device), bytes: new TextEncoder().encode(JSON.stringify(rate)) }]);
  return rate;
}
