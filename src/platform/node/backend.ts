/**
 * Backend selection for the Node runner. WebGPU comes from Dawn (`webgpu` package). On a
 * machine with no usable GPU, Vulkan is pointed at Chromium's SwiftShader ICD so an explicit
 * `--backend webgpu` still runs (slowly) on the CPU; `auto` ranks that below WASM
 * (adapter-info.ts: chooseBackend).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendInfo } from '../../core/experiment/result';
import { chooseBackend, describeAdapter, type AdapterSummary } from '../adapter-info';
import { registerAdamWKernels } from '../kernels/adamw-step';
import { registerSegmentSumKernels } from '../kernels/segment-sum';
import { registerWasmIdentity } from '../kernels/wasm-identity';
import { registerWasmMatMul } from '../kernels/wasm-matmul';
import './gradients';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export function selectNodeBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  return chooseBackend(choice, { webgpuAdapter: installDawn, start });
}

async function start(name: BackendInfo['backend']): Promise<void> {
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else {
    await installDawn();
    // The WebGPU backend registers itself only if navigator.gpu exists when it is first imported.
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  await setBackend(name);
}

async function setBackend(name: string): Promise<void> {
  registerSegmentSumKernels();
  registerAdamWKernels();
  if (name === 'wasm') {
    registerWasmMatMul();
    registerWasmIdentity();
  }
  if (!tf.findBackendFactory(name)) throw new Error(`backend ${name} is not registered`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

let dawn: Promise<AdapterSummary> | undefined;

function installDawn(): Promise<AdapterSummary> {
  dawn ??= (async () => {
    // Vulkan drivers probe for a Wayland display, and libwayland prints an "error:" line when
    // XDG_RUNTIME_DIR is unset (a server, a container): the temp folder has no display either.
    process.env.XDG_RUNTIME_DIR ??= tmpdir();
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
