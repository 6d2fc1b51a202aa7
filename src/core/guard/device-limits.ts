/**
 * The limits of the tensor backend a run trains on, for the guard's device-memory refusal:
 * on WebGPU the adapter's largest storage buffer (a weight must fit one binding and one
 * buffer, so the smaller of maxStorageBufferBindingSize and maxBufferSize); on WASM the
 * wasm32 heap, which every tensor lives in and which cannot grow past 4 GiB (its emscripten
 * build's getHeapMax()). The CPU backend
 * keeps tensors in JS arrays with no fixed ceiling, so it has none.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../experiment/result';
import { DEFAULT_MAX_BINDING } from '../models/pretrained/memory';
import type { DeviceLimits } from '../models/spec';

/** The most the WASM backend's heap can grow to: tfjs-backend-wasm's getHeapMax(), 4 GiB less one 64 KiB page. */
export const WASM32_HEAP_BYTES = 4 * 1024 ** 3 - 65536;

export interface GpuLimits {
  maxStorageBufferBindingSize?: number;
  maxBufferSize?: number;
}

/** The limits of `backend` given the WebGPU device's own (when it runs on one); undefined when it has none. */
export function limitsOf(backend: BackendInfo['backend'], gpu?: GpuLimits): DeviceLimits | undefined {
  if (backend === 'wasm') return { memoryBudget: WASM32_HEAP_BYTES };
  if (backend !== 'webgpu') return undefined;
  const binding = gpu?.maxStorageBufferBindingSize ?? DEFAULT_MAX_BINDING;
  return { maxStorageBufferBindingSize: Math.min(binding, gpu?.maxBufferSize ?? binding) };
}

/** The limits of the backend TF.js is running now (`info` names it), read from its device. */
export function activeDeviceLimits(info: Pick<BackendInfo, 'backend'>): DeviceLimits | undefined {
  const device = info.backend === 'webgpu' ? (tf.backend() as unknown as { device?: { limits?: GpuLimits } }).device : undefined;
  return limitsOf(info.backend, device?.limits);
}
