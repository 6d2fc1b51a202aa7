/**
 * The measured rate of a plain-TypeScript trainer (the classical models, fastText's own SGD):
 * the config's own fit timed on two sizes of a synthetic AG News-like corpus, so the fixed part
 * (allocating a million bucket rows, say) and the part that grows with the examples are told
 * apart, then extrapolated to the dataset's size. Cached per device and config in the store.
 */
import type { ModelConfig } from '../models/registry';
import { createEstimator } from '../models/registry';
import type { BlobStore } from '../storage/port';
import { canonicalJson } from '../eval/serialize';
import { sha256Hex } from '../util/hash';
import { syntheticCorpus } from './synthetic';

export interface PlainRate {
  /** What was timed: the model config's hash. */
  config: string;
  device: string;
  /** Seconds a fit takes whatever its size. */
  fixedSeconds: number;
  /** Seconds each training example adds to the fit (every epoch or solver pass included). */
  fitSecondsPerExample: number;
  /** Seconds to predict one text, in batches. */
  predictSecondsPerExample: number;
  shape: string;
  /** How long the calibration took. */
  seconds: number;
  measuredAt: string;
}

/** The two corpus sizes timed: small enough for seconds on a loaded laptop, far enough apart for a slope. */
export const PLAIN_SIZES = [1000, 3000] as const;
const CLASSES = ['World', 'Sports', 'Business', 'Sci/Tech'];

const keyOf = async (model: ModelConfig, device: string) => `estimate/plain-rate/${(await sha256Hex(canonicalJson({ model, device }))).slice(0, 24)}.json`;

export async function cachedPlainRate(store: BlobStore, model: ModelConfig, device: string): Promise<PlainRate | undefined> {
  const bytes = await store.read(await keyOf(model, device));
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as PlainRate) : undefined;
}

async function timedFit(model: ModelConfig, n: number): Promise<{ fit: number; predict: number }> {
  const corpus = syntheticCorpus(n);
  const estimator = createEstimator(model);
  try {
    const t0 = performance.now();
    await estimator.fit(corpus, { classes: CLASSES, seed: 1 });
    const fit = (performance.now() - t0) / 1000;
    const texts = corpus.slice(0, 1000).map((e) => e.text);
    const t1 = performance.now();
    await estimator.predictProba(texts);
    return { fit, predict: (performance.now() - t1) / 1000 / texts.length };
  } finally {
    estimator.dispose();
  }
}

/** Times the config's fit on both sizes and keeps the rate in the store. */
export async function measurePlainRate(store: BlobStore, model: ModelConfig, device: string): Promise<PlainRate> {
  const t0 = performance.now();
  const [small, large] = [await timedFit(model, PLAIN_SIZES[0]), await timedFit(model, PLAIN_SIZES[1])];
  const slope = Math.max(0, (large.fit - small.fit) / (PLAIN_SIZES[1] - PLAIN_SIZES[0]));
  // A noisy pair (another process took the CPU during the small fit) would give a slope near 0: never below the large fit's average rate.
  const perExample = Math.max(slope, (0.5 * large.fit) / PLAIN_SIZES[1]);
  const rate: PlainRate = {
    config: (await sha256Hex(canonicalJson(model))).slice(0, 16),
    device,
    fixedSeconds: Math.max(0, large.fit - perExample * PLAIN_SIZES[1]),
    fitSecondsPerExample: perExample,
    predictSecondsPerExample: (small.predict + large.predict) / 2,
    shape: `${model.type} fitted on ${PLAIN_SIZES.join(' and ')} synthetic AG News-like texts`,
    seconds: (performance.now() - t0) / 1000,
    measuredAt: new Date().toISOString(),
  };
  await store.commit([{ path: await keyOf(model, device), bytes: new TextEncoder().encode(JSON.stringify(rate)) }]);
  return rate;
}
