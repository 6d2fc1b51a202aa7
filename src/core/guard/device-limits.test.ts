/**
 * The device-memory refusal at training time: runExperiment passes the running backend's limits
 * to the guard, so a config the device cannot hold stops before its base is opened (downloaded)
 * or a step runs, with the figures and what would fit; one that fits raises nothing.
 */
import { describe, expect, it } from 'vitest';
import { importDataset } from '../data';
import type { TrainingData } from '../data/types';
import { parseExperimentConfig } from '../experiment/config';
import { runExperiment } from '../experiment/pipeline';
import type { BackendInfo } from '../experiment/result';
import { DEFAULT_MAX_BINDING } from '../models/pretrained/memory';
import { RunFolder } from '../runs/run-folder';
import { memoryStore } from '../storage/memory';
import { GuardError } from '../util/errors';
import { activeDeviceLimits, limitsOf, WASM32_HEAP_BYTES } from './device-limits';
import { validateConfig } from './validate-config';

const enc = new TextEncoder();
const agnews = { train: 29_055, validation: 3_228, classes: 4 };

async function data(): Promise<TrainingData> {
  const rows = Array.from({ length: 400 }, (_, i) => `"${(i % 4) + 1}","title ${i}","text number ${i} of class ${i % 4}"`);
  const d = await importDataset({
    kind: 'agnews',
    files: [
      { name: 'train.csv', bytes: enc.encode(rows.join('\n')) },
      { name: 'classes.txt', bytes: enc.encode('W\nS\nB\nT') },
    ],
  });
  return { meta: d.meta, train: d.train, validation: d.validation };
}

const experiment = (model: Record<string, unknown>) => parseExperimentConfig({ model: { type: 'pretrained', ...model } });
const backend = (name: BackendInfo['backend']): BackendInfo => ({ backend: name, skipped: [] });

/** Runs the config on `name` and returns the refusal; fails the test if the base is opened. */
async function refusal(config: ReturnType<typeof experiment>, name: BackendInfo['backend']): Promise<GuardError> {
  const opened: string[] = [];
  const run = runExperiment({
    config,
    data: await data(),
    run: new RunFolder(memoryStore(), ''),
    runId: 'r',
    backend: backend(name),
    openBase: async (base) => {
      opened.push(base);
      throw new Error('opened the base');
    },
  });
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(opened).toEqual([]);
  expect(err).toBeInstanceOf(GuardError);
  return err as GuardError;
}

describe('device limits', () => {
  it("are the adapter's binding and buffer limits on WebGPU, the wasm32 heap on WASM, none on the CPU", () => {
    expect(limitsOf('webgpu', { maxStorageBufferBindingSize: 1 << 30, maxBufferSize: 1 << 28 })).toEqual({ maxStorageBufferBindingSize: 1 << 28 });
    expect(limitsOf('webgpu', {})).toEqual({ maxStorageBufferBindingSize: DEFAULT_MAX_BINDING });
    expect(limitsOf('wasm')).toEqual({ memoryBudget: WASM32_HEAP_BYTES });
    expect(limitsOf('cpu')).toBeUndefined();
    // The test process runs TF.js's CPU backend: a WebGPU run without a device reads the spec minimum.
    expect(activeDeviceLimits(backend('webgpu'))).toEqual({ maxStorageBufferBindingSize: DEFAULT_MAX_BINDING });
  });

  it('refuse, before the base is opened, an embedding table above the storage-buffer limit', async () => {
    const err = await refusal(experiment({ base: 'hf:microsoft/deberta-v3-base', method: 'lora', train: { lr: 2e-4 } }), 'webgpu');
    expect(err.message).toMatch(/\[device-memory\] hf:microsoft\/deberta-v3-base: the weight deberta\.embeddings\.word_embeddings\.weight takes 375 MiB .* \(128 MiB\)/);
    expect(err.message).toMatch(/Safer: a base with a smaller vocabulary or hidden size .*; the wasm or cpu backend/);
  });

  it('refuse, before the base is opened, a step above the wasm32 heap, with the batch that fits', async () => {
    const big = experiment({ base: 'hf:distilbert/distilbert-base-uncased', maxLength: 512, train: { batchSize: 64, lr: 2.5e-5 } });
    const err = await refusal(big, 'wasm');
    expect(err.message).toMatch(/\[device-memory\] hf:distilbert\/distilbert-base-uncased \(full\) needs about \d+ MiB at its peak .* above the memory budget of 4096 MiB/);
    expect(err.message).toMatch(/model\.train\.batchSize: \d+ with model\.train\.accumulate: \d+ \(same effective batch\)/);
  });

  it('let a config that fits through', () => {
    const fits = (config: ReturnType<typeof experiment>, name: BackendInfo['backend']) =>
      validateConfig(config, agnews, { device: limitsOf(name) }).filter((f) => f.rule === 'device-memory');
    expect(fits(experiment({ base: 'hf:sentence-transformers/all-MiniLM-L6-v2', method: 'lora', train: { lr: 2e-4 } }), 'webgpu')).toEqual([]);
    expect(fits(experiment({ base: 'hf:distilbert/distilbert-base-uncased', maxLength: 128, train: { batchSize: 4, accumulate: 8, lr: 2.5e-5 } }), 'wasm')).toEqual([]);
    expect(fits(experiment({ base: 'hf:microsoft/deberta-v3-base', method: 'lora', train: { lr: 2e-4 } }), 'cpu')).toEqual([]);
  });
});
