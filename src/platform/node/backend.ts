/**
 * Backend selection for the Node runner. WebGPU comes from Dawn (`webgpu` package). On a
 * machine with no usable GPU, Vulkan is pointed at Chromium's SwiftShader ICD so the same
 * WebGPU path still runs (slowly) on the CPU.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendInfo } from '../../core/experiment/result';
import { BackendError } from '../../core/util/errors';
import { describeAdapter } from '../adapter-info';
import { registerSegmentSumKernels } from '../kernels/segment-sum';
import './gradients';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
type Name = BackendInfo['backend'];

export async function selectNodeBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  const order: Name[] = choice === 'auto' ? ['webgpu', 'wasm', 'cpu'] : [choice];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    try {
      const adapter = await activate(name);
      return { backend: name, adapter, skipped };
    } catch (e) {
      skipped.push({ backend: name, reason: (e as Error).message });
    }
  }
  const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new BackendError(choice === 'auto' ? `No tensor backend could start (${why})` : `Backend ${choice} could not start: ${why}`);
}

async function activate(name: Name): Promise<BackendInfo['adapter']> {
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    await setBackend('cpu');
    return undefined;
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    await setBackend('wasm');
    return undefined;
  }
  const adapter = await installDawn();
  // The WebGPU backend registers itself only if navigator.gpu exists when it is first imported.
  await import('@tensorflow/tfjs-backend-webgpu');
  await setBackend('webgpu');
  return adapter;
}

async function setBackend(name: string): Promise<void> {
  registerSegmentSumKernels();
  if (!tf.findBackendFactory(name)) throw new Error(`backend ${name} is not registered`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

let dawn: Promise<BackendInfo['adapter']> | undefined;

function installDawn(): Promise<BackendInfo['adapter']> {
  dawn ??= (async () => {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    let gpu = create([]);
    let adapter = await gpu.requestAdapter();
    if (!adapter && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
      gpu = create([]);
      adapter = await gpu.requestAdapter();
    }
    if (!adapter) throw new Error('no WebGPU adapter (no usable Vulkan driver; install chromium for SwiftShader, or libvulkan1)');
    Object.defineProperty(globalThis, 'navigator', { value: { ...(globalThis.navigator ?? {}), gpu }, configurable: true, writable: true });
    return describeAdapter(adapter);
  })();
  return dawn;
}
