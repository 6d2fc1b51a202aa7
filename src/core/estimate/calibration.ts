/**
 * The tensor backends' measured speed: a few timed fine-tuning steps of the small reference
 * encoder the pretrained catalog already times (catalog.ts CALIBRATION_SHAPE), turned into
 * training and inference FLOP/s. Matrix products dominate every tensor family's step, so one
 * rate per backend and device serves them all. Kept in the lab's store per backend and device
 * (the WebGPU adapter's vendor, architecture and description), so another GPU measures again.
 */
import type { BackendInfo } from '../experiment/result';
import type { Calibration } from '../lab/quota-api';
import { CALIBRATION_RUN, CALIBRATION_SHAPE } from '../models/pretrained/catalog';
import { encoderFlops, encoderShape } from '../models/pretrained/encoder-flops';
import { measureThroughput } from '../models/pretrained/throughput';
import type { BlobStore } from '../storage/port';
import { sha256Hex } from '../util/hash';

/** What plain-TypeScript trainers run on: the CPU the page or process has, whatever the tensor backend. */
export const PLAIN_DEVICE = 'plain-typescript';

/** The device a backend's figures belong to. */
export function deviceOf(info: Pick<BackendInfo, 'backend' | 'adapter'>): string {
  if (info.backend !== 'webgpu') return info.backend;
  const a = info.adapter ?? {};
  return ['webgpu', a.vendor, a.architecture, a.description, a.software].map((x) => x ?? '').join('|');
}

/** Where a backend's calibration on a device is kept in the lab's store. */
export const calibrationKey = async (backend: string, device: string) => `estimate/calibration/${backend}-${(await sha256Hex(device)).slice(0, 16)}.json`;

export async function cachedCalibration(store: BlobStore, info: Pick<BackendInfo, 'backend' | 'adapter'>): Promise<Calibration | undefined> {
  const bytes = await store.read(await calibrationKey(info.backend, deviceOf(info)));
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as Calibration) : undefined;
}

/** Timed steps: more than the catalog's one, so a single slow step (a kernel compiled late) weighs less. */
const STEPS = 3;

/** Times the reference encoder on the backend TF.js runs now (`info` names it) and keeps the figures. */
export async function measureCalibration(store: BlobStore, info: Pick<BackendInfo, 'backend' | 'adapter'>): Promise<Calibration> {
  const t0 = performance.now();
  const run = { ...CALIBRATION_RUN, steps: STEPS, seed: 0 };
  const train = await measureThroughput(CALIBRATION_SHAPE, { ...run, mode: 'train', method: 'full' });
  const infer = await measureThroughput(CALIBRATION_SHAPE, { ...run, mode: 'infer' });
  const shape = { ...encoderShape(CALIBRATION_SHAPE), labels: 2 };
  const calibration: Calibration = {
    backend: info.backend,
    device: deviceOf(info),
    trainFlopsPerSecond: encoderFlops(shape, run.batch, run.length, 'train') / (train.msPerStep / 1000),
    inferFlopsPerSecond: encoderFlops(shape, run.batch, run.length, 'infer') / (infer.msPerStep / 1000),
    shape: `BERT ${shape.layers} layers x hidden ${shape.hidden}, batch ${run.batch} x length ${run.length}, ${STEPS} timed steps`,
    seconds: (performance.now() - t0) / 1000,
    measuredAt: new Date().toISOString(),
  };
  await store.commit([{ path: await calibrationKey(info.backend, calibration.device), bytes: new TextEncoder().encode(JSON.stringify(calibration)) }]);
  return calibration;
}
