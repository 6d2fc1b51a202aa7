/**
 * Where the demo's ONNX model runs: ONNX Runtime's WebGPU on a real GPU, WASM otherwise. A
 * software adapter (SwiftShader, lavapipe, WARP) runs WebGPU on the CPU, slower than WASM on the
 * same cores, so it ranks below WASM here as it does for the lab's tensors (adapter-info.ts).
 */
import { describeAdapter, softwareReason } from '../platform/adapter-info';

export type OnnxDevice = { device: 'webgpu' } | { device: 'wasm'; reason: string };

export async function pickOnnxDevice(gpu: GPU | undefined): Promise<OnnxDevice> {
  if (!gpu) return { device: 'wasm', reason: 'navigator.gpu is missing (this browser or context has no WebGPU)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { device: 'wasm', reason: `navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!adapter) return { device: 'wasm', reason: 'navigator.gpu.requestAdapter() returned no adapter' };
  const software = describeAdapter(adapter).software;
  return software ? { device: 'wasm', reason: softwareReason(software) } : { device: 'webgpu' };
}

/** The words the page shows for where the model ran. */
export const describeOnnxDevice = (d: OnnxDevice): string => (d.device === 'webgpu' ? 'ONNX Runtime on WebGPU' : `ONNX Runtime on WASM (${d.reason})`);
