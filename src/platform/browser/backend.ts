/**
 * Backend selection inside the worker: `auto` takes a GPU's WebGPU, then WASM, then a software
 * adapter's WebGPU (SwiftShader, WARP: slower than WASM for training), then the plain CPU
 * backend, and records why each higher-ranked one was skipped so the page can say it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, BackendInfo } from '../../core/experiment/result';
import { chooseBackend, describeAdapter, type AdapterSummary } from '../adapter-info';
import { registerAdamWKernels } from '../kernels/adamw-step';
import { registerSegmentSumKernels } from '../kernels/segment-sum';
import { registerWasmIdentity } from '../kernels/wasm-identity';
import { registerWasmMatMul } from '../kernels/wasm-matmul';
import './gradients';

type Name = BackendInfo['backend'];

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

export function selectBrowserBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  return chooseBackend(choice, { webgpuAdapter, start });
}

async function start(name: Name): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  registerSegmentSumKernels();
  registerAdamWKernels();
  if (name === 'wasm') {
    registerWasmMatMul();
    registerWasmIdentity();
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

async function webgpuAdapter(): Promise<AdapterSummary> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error('navigator.gpu is missing (this browser or context has no WebGPU)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
  return describeAdapter(adapter);
}
