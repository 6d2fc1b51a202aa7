/**
 * Pretrained tier benchmark.
 *   npm run bench -- pretrained [--no-peers] [--no-memory] [--backends wasm,cpu,webgpu] [--steps N]
 * 1. Fine-tuning (AdamW on every weight) and inference examples/s of the MiniLM shape
 *    (../shared/models/shapes/minilm-l6-h384, random weights) at batch 16, length 64: PyTorch on
 *    2 threads (../shared/bench/peers_torch_finetune.py, its Python from torch-env.sh), then ours
 *    on each backend (webgpu is whatever Dawn finds: SwiftShader on GPU-less machines), with the
 *    ratio ours / PyTorch.
 * 2. Inference texts/s of the tiny-bert checkpoint on AG News test texts, tokenisation included:
 *    ours (its safetensors and tokenizer.json) against @huggingface/transformers running the
 *    same weights' ONNX export (onnx/model.onnx) on ONNX Runtime.
 * 3. Estimated (memory.ts) against measured peak memory of a training step for each pretrained
 *    preset (configs/*.json): random weights of the preset base's shape on WASM, the preset's
 *    method (full or LoRA), at a batch and length small enough for two shared cores (the estimate
 *    is taken at the same batch and length); measured = the WASM heap's high-water mark, with the
 *    peak of tf.memory().numBytes (which counts shared buffers once per tensor) beside it.
 * Each of our measurements runs in a child process with a time cap, so one slow backend cannot
 * hold up the rest; a capped one reports the bound it proves instead of a figure.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { readCheckpoint, type FolderReader } from '../src/core/models/pretrained/checkpoint';
import { pretrainedSchema } from '../src/core/models/pretrained/config';
import { pretrainedSizes } from '../src/core/models/pretrained/memory';
import { knownShape } from '../src/core/models/pretrained/known-shapes';
import { EncoderModel } from '../src/core/models/pretrained/model';
import { measureThroughput } from '../src/core/models/pretrained/throughput';
import { EncoderTokenizer } from '../src/core/models/pretrained/tokenize';
import type { HfConfig } from '../src/core/models/pretrained/types';
import { selectNodeBackend } from '../src/platform/node/backend';
import { DATA } from './shared';
import { chunkWebGpuAddN } from './webgpu-addn';

const MODELS = '../shared/models';
const MINILM = `${MODELS}/shapes/minilm-l6-h384`;
const TINY = `${MODELS}/tiny-bert`;
const BATCH = 16;
const LENGTH = 64;
const TEXTS = 256;
const TEXT_BATCH = 32;
type Backend = 'wasm' | 'cpu' | 'webgpu';
type Mode = 'train' | 'infer';
type Job = { task: 'shape'; backend: Backend; mode: Mode; steps: number } | { task: 'tiny'; backend: Backend } | { task: 'memory'; preset: string };
/** Batch x length of the memory measurement: the preset's own for small bases, less for base-sized ones. */
const MEMORY_TOKENS = { small: [16, 64], base: [2, 32] } as const;
const MiB = 1024 * 1024;

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));
const reader =
  (dir: string): FolderReader =>
  (name) =>
    readFile(join(dir, name)).then(
      (b) => new Uint8Array(b),
      () => undefined,
    );

/** AG News test texts as the peers read them: title and description joined by a space. */
function testTexts(n: number): string[] {
  return readFileSync(`${DATA}/test.csv`, 'utf8')
    .split('\n')
    .slice(0, n)
    .map((line) =>
      [...line.matchAll(/"((?:[^"]|"")*)"/g)]
        .slice(1)
        .map((m) => m[1].replace(/""/g, '"'))
        .join(' '),
    );
}

/** The pretrained presets: name, parsed model config and the base's config.json shape. */
function presets(): { name: string; cfg: ReturnType<typeof pretrainedSchema.parse>; shape: HfConfig }[] {
  const out = [];
  for (const file of readdirSync('configs')
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const raw = JSON.parse(readFileSync(join('configs', file), 'utf8')) as { name: string; model?: { type?: string } };
    if (raw.model?.type !== 'pretrained') continue;
    const cfg = pretrainedSchema.parse(raw.model);
    const folder = cfg.base.startsWith('file:') ? cfg.base.slice('file:'.length) : undefined;
    const shape = folder ? (JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as HfConfig) : knownShape(cfg.base);
    if (shape) out.push({ name: raw.name, cfg, shape });
  }
  return out;
}

/** Estimated and measured peak bytes of one preset's training step (on WASM). */
async function memoryJob(preset: string): Promise<void> {
  await selectNodeBackend('wasm');
  const p = presets().find((x) => x.name === preset);
  if (!p) throw new Error(`no pretrained preset '${preset}'`);
  if (p.cfg.method !== 'full' && p.cfg.method !== 'lora') throw new Error(`preset '${preset}': method ${p.cfg.method} is not measured here`);
  const [batch, length] = Number(p.shape.hidden_size ?? p.shape.dim) >= 768 ? MEMORY_TOKENS.base : MEMORY_TOKENS.small;
  const shape = { ...p.shape, id2label: { 0: 'a', 1: 'b', 2: 'c', 3: 'd' } };
  const estimate = pretrainedSizes({ ...p.cfg, maxLength: length, train: { ...p.cfg.train, batchSize: batch } }, 4, shape);
  const r = await measureThroughput(shape, { batch, length, steps: 1, warmup: 1, mode: 'train', method: p.cfg.method, trackPeak: true });
  // WebAssembly memory only grows, so its size after the steps is the real high-water mark of every
  // buffer (weights and their random initialisation included). tf.memory()'s peak counts each
  // tensor object, so reshapes and the tape's saved copies of one buffer count again: an upper bound.
  const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
  emit({
    batch,
    length,
    method: p.cfg.method,
    parameters: r.parameters,
    estimated_peak_mib: round(estimate.peakBytes / MiB, 1),
    measured_peak_mib: round(heap / MiB, 1),
    ratio_estimated_to_measured: round(estimate.peakBytes / heap, 3),
    tensor_bytes_peak_mib: round(r.peakBytes! / MiB, 1),
    tensors: tf.memory().numTensors,
  });
}

/** One measurement, in this (child) process: prints its JSON line. */
async function runJob(job: Job): Promise<void> {
  if (job.task === 'memory') return memoryJob(job.preset);
  const info = await selectNodeBackend(job.backend);
  if (job.backend === 'webgpu') chunkWebGpuAddN();
  const adapter = info.adapter ? `${info.adapter.vendor} ${info.adapter.architecture} (${info.adapter.description})` : undefined;
  if (adapter) emit({ adapter });
  if (job.task === 'shape') {
    const config = JSON.parse(readFileSync(`${MINILM}/config.json`, 'utf8')) as HfConfig;
    // As the PyTorch peer, one untimed step first: kernels compile on a GPU's, and WASM's grows its
    // heap to the step's high-water mark. The plain CPU backend (capped long before) starts cold.
    const warmup = job.backend === 'cpu' ? 0 : 1;
    const r = await measureThroughput(config, { batch: BATCH, length: LENGTH, steps: job.steps, mode: job.mode, warmup });
    emit({ examples_per_s: r.examplesPerSecond, ms_per_step: round(r.msPerStep, 1), warmup, parameters: r.parameters, tensors: tf.memory().numTensors });
    return;
  }
  const model = EncoderModel.fromCheckpoint(await readCheckpoint(reader(TINY)));
  const tok = await EncoderTokenizer.fromFolder(reader(TINY));
  const maxLength = Number(model.config.max_position_embeddings);
  const texts = testTexts(TEXTS);
  const once = () => {
    for (let i = 0; i < texts.length; i += TEXT_BATCH) {
      const b = tok.batch(texts.slice(i, i + TEXT_BATCH), maxLength);
      model.logits(b.inputIds, b.attentionMask);
    }
  };
  once(); // kernels, first allocations
  const t0 = performance.now();
  once();
  const secs = (performance.now() - t0) / 1000;
  model.dispose();
  emit({ texts_per_s: texts.length / secs, tensors: tf.memory().numTensors });
}

/** Runs a job in a child process under `capS` seconds; its JSON line, or what stopped it. */
function child(job: Job, capS: number): Record<string, unknown> {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', JSON.stringify(job)], { encoding: 'utf8', timeout: capS * 1000, maxBuffer: 16 << 20 });
  // The child says which adapter it got before it measures, so a capped run still names it.
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
  const out = Object.assign({}, ...lines.map((l) => JSON.parse(l) as Record<string, unknown>)) as Record<string, unknown>;
  if (r.error && /ETIMEDOUT/.test(String((r.error as NodeJS.ErrnoException).code))) return { ...out, timed_out_after_s: capS };
  if (r.status === 0 && lines.length) return out;
  const stderr = (r.stderr || String(r.error)).trim().split('\n');
  return { ...out, error: (stderr.find((l) => /Error\b|error:/.test(l)) ?? stderr.slice(-3).join(' | ')).trim().slice(0, 500) };
}

/** PyTorch's figures on the MiniLM shape (2 threads), or the reason there are none. */
function torchPeer(steps: number): Record<string, unknown> {
  const env = spawnSync('bash', ['../shared/bench/torch-env.sh'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const python = env.stdout.trim().split('\n').pop();
  if (env.status !== 0 || !python) return { error: `torch-env.sh failed (${env.status}): ${env.stderr.trim().split('\n').slice(-2).join(' | ')}` };
  const r = spawnSync(python, ['../shared/bench/peers_torch_finetune.py', MINILM, '--batch', `${BATCH}`, '--seq', `${LENGTH}`, '--steps', `${steps}`, '--threads', '2'], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) return { error: `peers_torch_finetune.py failed (${r.status}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}` };
  return { ...(JSON.parse(line) as Record<string, unknown>), steps };
}

/** @huggingface/transformers on tiny-bert's ONNX file: the same texts, batches and length cap. */
async function transformersPeer(): Promise<Record<string, unknown>> {
  const { AutoModelForSequenceClassification, AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = resolve(MODELS);
  const tok = await AutoTokenizer.from_pretrained('tiny-bert');
  const model = await AutoModelForSequenceClassification.from_pretrained('tiny-bert', { dtype: 'fp32' });
  const texts = testTexts(TEXTS);
  const once = async () => {
    for (let i = 0; i < texts.length; i += TEXT_BATCH) {
      const inputs = tok(texts.slice(i, i + TEXT_BATCH), { padding: true, truncation: true, max_length: 64 });
      const out = (await model(inputs)) as { logits: { data: Float32Array } };
      void out.logits.data;
    }
  };
  await once();
  const t0 = performance.now();
  await once();
  const secs = (performance.now() - t0) / 1000;
  await model.dispose();
  return { texts_per_s: round(texts.length / secs, 1) };
}

async function main(): Promise<void> {
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) return runJob(JSON.parse(argv[childAt + 1]) as Job);
  const peers = !argv.includes('--no-peers');
  const backends = (opt('backends') ?? 'wasm,cpu,webgpu').split(',') as Backend[];
  const peerSteps = 5;

  const peer = peers ? torchPeer(peerSteps) : undefined;
  if (peer) emit({ bench: 'peer', shape: 'minilm-l6-h384', batch: BATCH, length: LENGTH, ...peer });
  const peerRate = (mode: Mode) => peer?.[mode === 'train' ? 'train_examples_per_s' : 'infer_examples_per_s'] as number | undefined;

  // Steps and caps sized for two shared cores: a few steps each, the whole run under ~10 minutes.
  const plan: Record<Backend, { steps: Record<Mode, number>; capS: Record<Mode, number> }> = {
    wasm: { steps: { train: 2, infer: 2 }, capS: { train: 200, infer: 100 } },
    cpu: { steps: { train: 1, infer: 1 }, capS: { train: 75, infer: 45 } },
    webgpu: { steps: { train: 1, infer: 1 }, capS: { train: 75, infer: 45 } },
  };
  for (const backend of backends) {
    for (const mode of ['train', 'infer'] as const) {
      const steps = Number(opt('steps') ?? plan[backend].steps[mode]);
      const capS = plan[backend].capS[mode];
      const r = child({ task: 'shape', backend, mode, steps }, capS);
      const ours = r.examples_per_s as number | undefined;
      const theirs = peerRate(mode);
      emit({
        bench: 'pretrained',
        shape: 'minilm-l6-h384',
        backend,
        mode,
        batch: BATCH,
        length: LENGTH,
        steps,
        ...r,
        ...(ours !== undefined ? { examples_per_s: round(ours) } : {}),
        // A capped run proves at most batch x (warm-up + steps) examples in capS seconds.
        ...(r.timed_out_after_s ? { examples_per_s_below: round((BATCH * (steps + (backend === 'cpu' ? 0 : 1))) / capS, 3) } : {}),
        peer_examples_per_s: theirs ?? null,
        ratio_to_peer: ours !== undefined && theirs ? round(ours / theirs, 3) : null,
      });
    }
  }

  if (!argv.includes('--no-memory')) {
    for (const p of presets()) emit({ bench: 'pretrained-memory', preset: p.name, base: p.cfg.base, backend: 'wasm', ...child({ task: 'memory', preset: p.name }, 240) });
  }

  let hf: Record<string, unknown> | undefined;
  if (peers) {
    hf = await transformersPeer().catch((e: Error) => ({ error: e.message }));
    emit({ bench: 'peer', model: 'transformers.js (ONNX Runtime, fp32)', checkpoint: 'tiny-bert', texts: TEXTS, batch: TEXT_BATCH, ...hf });
  }
  for (const backend of backends.filter((b) => b !== 'webgpu')) {
    const r = child({ task: 'tiny', backend }, 60);
    const ours = r.texts_per_s as number | undefined;
    const theirs = hf?.texts_per_s as number | undefined;
    emit({
      bench: 'pretrained-infer',
      checkpoint: 'tiny-bert',
      backend,
      texts: TEXTS,
      batch: TEXT_BATCH,
      ...r,
      ...(ours !== undefined ? { texts_per_s: round(ours, 1) } : {}),
      peer_texts_per_s: theirs !== undefined ? round(theirs, 1) : null,
      ratio_to_peer: ours !== undefined && theirs ? round(ours / theirs, 3) : null,
    });
  }
}

await main();
