/**
 * The GPU benchmark's driver, bundled by pack.sh into one file that the packed Node runs on a
 * machine with a real GPU and no node_modules (scripts/gpu-bench/run.sh). Prints JSON lines:
 *   gpu-adapter   what Dawn found (vendor, architecture, limits), Node and TF.js versions;
 *   gpu-matmul    TF.js WebGPU fp32 matrix products: the ceiling the encoders can reach;
 *   gpu-encoder   measureThroughput on each shape, batch and length, training and inference,
 *                 with the FLOPs counted from config.json and the fraction of the fp32 peak.
 * Options: --shapes DIR (folders with config.json), --quick (small sizes, for a SwiftShader
 * check of the pack), --budget-s N (stop starting new measurements after N seconds),
 * --steps N (timed steps per case, after one untimed), --case-limit-s N (give up on a case),
 * --probe-only (stop after the adapter line),
 * --peak-tflops X (the device's fp32 peak; default 67 on NVIDIA, the H100/H200 SXM datasheet's
 * non-tensor-core fp32 figure, and none elsewhere).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// Registers every gradient on the same tfjs-core instance (training steps need them).
import '../../src/platform/node/gradients';
import { encoderFlops, encoderShape } from '../../src/core/models/pretrained/encoder-flops';
import { chunkWebGpuAddN } from '../../bench/webgpu-addn';
import { measureThroughput } from '../../src/core/models/pretrained/throughput';
import type { HfConfig } from '../../src/core/models/pretrained/types';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const shapesDir = opt('shapes') ?? 'shapes';
const budgetS = Number(opt('budget-s') ?? 240);
const started = performance.now();
const elapsedS = () => (performance.now() - started) / 1000;
/** Three significant digits: the figures span SwiftShader's MFLOP/s to a GPU's TFLOP/s. */
const sig = (x: number) => Number(x.toPrecision(3));
const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));
const log = (s: string) => process.stderr.write(`[driver ${elapsedS().toFixed(1)}s] ${s}\n`);

let deviceError: string | undefined;

async function initWebGpu() {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('Dawn found no WebGPU adapter (no Vulkan loader or driver: see log.txt)');
  Object.defineProperty(globalThis, 'navigator', { value: { ...(globalThis.navigator ?? {}), gpu }, configurable: true, writable: true });
  // The backend registers itself only if navigator.gpu exists when it is first imported.
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') failed");
  await tf.ready();
  // A validation error makes the next read of a result wait forever: remember it, so that the
  // watchdog below can name it instead of only timing out.
  (tf.backend() as unknown as { device: GPUDevice }).device.addEventListener('uncapturederror', (e) => {
    deviceError ??= (e as GPUUncapturedErrorEvent).error.message.split('\n')[0];
  });
  const info = adapter.info;
  const l = adapter.limits;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    limits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
    features: [...adapter.features].sort(),
  };
}

/** Mean seconds of one [m,k] x [k,n] product over `iters`, after two warm-up products. */
async function timeMatMul(m: number, k: number, n: number, iters: number): Promise<number> {
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  const run = async (times: number) => {
    let last: tf.Tensor | undefined;
    for (let i = 0; i < times; i++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    // Reading one reduced value waits for every queued product without copying m x n back.
    const s = tf.sum(last!);
    await s.data();
    s.dispose();
    last!.dispose();
  };
  await run(2);
  const t0 = performance.now();
  await run(iters);
  const secs = (performance.now() - t0) / 1000 / iters;
  a.dispose();
  b.dispose();
  return secs;
}

const adapter = await initWebGpu().catch((e: Error) => {
  emit({ bench: 'gpu-adapter', error: e.message });
  process.exit(1);
});
const nvidia = /nvidia/i.test(`${adapter.vendor} ${adapter.description}`);
const peakTflops = opt('peak-tflops') ? Number(opt('peak-tflops')) : nvidia ? 67 : undefined;
const peakNote = opt('peak-tflops') ? 'given with --peak-tflops' : nvidia ? 'H100/H200 SXM datasheet fp32 (non-tensor-core) peak' : 'unknown for this adapter';
emit({ bench: 'gpu-adapter', ...adapter, node: process.version, tfjs: tf.version_core, backend: tf.getBackend(), peak_fp32_tflops: peakTflops ?? null, peak_note: peakNote });
if (argv.includes('--probe-only')) process.exit(0);
const fraction = (flopsPerSec: number) => (peakTflops ? sig(flopsPerSec / (peakTflops * 1e12)) : null);

const MATMULS: [number, number, number][] = quick
  ? [
      [256, 256, 256],
      [512, 512, 512],
    ]
  : [
      [1024, 1024, 1024],
      [2048, 2048, 2048],
      [4096, 4096, 4096],
      [8192, 384, 1536], // MiniLM's first FFN layer at batch 64, length 128
      [4096, 768, 3072], // BERT-base's first FFN layer at batch 32, length 128
    ];
for (const [m, k, n] of MATMULS) {
  try {
    const secs = await timeMatMul(m, k, n, quick ? 3 : 10);
    const flops = 2 * m * k * n;
    emit({ bench: 'gpu-matmul', m, k, n, ms: sig(secs * 1000), gflops: sig(flops / secs / 1e9), fraction_of_peak: fraction(flops / secs) });
  } catch (e) {
    emit({ bench: 'gpu-matmul', m, k, n, error: (e as Error).message });
  }
}
log(`matmuls done; tensors alive: ${tf.memory().numTensors}`);

const addNChunked = chunkWebGpuAddN();
const CASES: [string, number, number][] = quick
  ? [['minilm-l6-h384', 2, 16]]
  : [
      ['minilm-l6-h384', 16, 64],
      ['minilm-l6-h384', 32, 64],
      ['minilm-l6-h384', 64, 64],
      ['minilm-l6-h384', 16, 128],
      ['minilm-l6-h384', 32, 128],
      ['minilm-l6-h384', 64, 128],
      ['bert-base', 16, 128],
      ['bert-base', 32, 128],
      ['bert-base', 64, 128],
    ];
const steps = Number(opt('steps') ?? (quick ? 1 : 5));
const caseLimitS = Number(opt('case-limit-s') ?? (quick ? 600 : 60));
const configs = new Map(CASES.map(([shape]) => [shape, JSON.parse(readFileSync(join(shapesDir, shape, 'config.json'), 'utf8')) as HfConfig]));

/** measureThroughput, or an error once the case outlives its limit (a hung queue never answers). */
function bounded<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer after ${caseLimitS} s${deviceError ? `; device error: ${deviceError}` : ''}`)), caseLimitS * 1000);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

// Inference first (fewer kernels, so the more likely to give figures), then training.
let hung = false;
for (const mode of ['infer', 'train'] as const) {
  for (const [shape, batch, length] of CASES) {
    const line = { bench: 'gpu-encoder', shape, batch, length, mode, steps, warmup: 1 };
    if (hung || elapsedS() > budgetS) {
      emit({ ...line, skipped: hung ? 'an earlier case hung the device queue' : `time budget of ${budgetS} s spent` });
      continue;
    }
    const config = configs.get(shape)!;
    try {
      deviceError = undefined;
      const r = await bounded(measureThroughput(config, { batch, length, steps, mode }));
      const flopsPerSec = (encoderFlops(encoderShape(config), batch, length, mode) / batch) * r.examplesPerSecond;
      emit({
        ...line,
        examples_per_s: sig(r.examplesPerSecond),
        ms_per_step: sig(r.msPerStep),
        parameters: r.parameters,
        tflops: sig(flopsPerSec / 1e12),
        fraction_of_peak: fraction(flopsPerSec),
        tensors: tf.memory().numTensors,
        ...(deviceError ? { device_error: deviceError } : {}),
        ...(addNChunked ? { addn_chunked: true } : {}),
      });
    } catch (e) {
      hung = /no answer after/.test((e as Error).message);
      emit({ ...line, error: (e as Error).message.split('\n')[0] });
    }
  }
}
log('done');
process.exit(0);
