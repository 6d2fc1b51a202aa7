/**
 * Backend selection inside the worker. `auto` tries WebGPU, then WASM, then the plain CPU
 * backend, and records why each earlier one was skipped so the page can say it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, BackendInfo } from '../../core/experiment/result';
import { BackendError } from '../../core/util/errors';
import { describeAdapter } from '../adapter-info';
import { registerSegmentSumKernels } from '../kernels/segment-sum';
import './gradients';

type Name = BackendInfo['backend'];

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

export async function selectBrowserBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  const order: Name[] = choice === 'auto' ? ['webgpu', 'wasm', 'cpu'] : [choice];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    try {
      const adapter = name === 'webgpu' ? await webgpuAdapter() : undefined;
      if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      registerSegmentSumKernels();
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
      await tf.ready();
      return { backend: name, adapter, skipped };
    } catch (e) {
      skipped.push({ backend: name, reason: (e as Error).message });
    }
  }
  throw new BackendError(`No tensor backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

async function webgpuAdapter(): Promise<BackendInfo['adapter']> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error('navigator.gpu is missing (this browser or context has no WebGPU)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
  return describeAdapter(adapter);
}
