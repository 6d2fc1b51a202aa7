/**
 * Which WebGPU adapters are a CPU pretending to be a GPU. A software adapter (SwiftShader,
 * lavapipe/llvmpipe, WARP) trains far slower than TF.js's WASM backend on the same cores, so
 * the backend ranking puts it below WASM and the device profile marks it. Platform-free: the
 * fields are read from GPUAdapterInfo by the platform (Chromium and Dawn share the shape).
 */

/** The fields of GPUAdapterInfo this reads; older browsers and Dawn builds may lack some. */
export interface AdapterFields {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/lavapipe/i, 'lavapipe'],
  [/llvmpipe/i, 'llvmpipe'],
  [/basic render driver/i, 'Microsoft Basic Render Driver'],
  [/\bwarp\b/i, 'WARP'],
];

/** The software renderer behind an adapter, or undefined for a real GPU. */
export function softwareRenderer(info: AdapterFields): string | undefined {
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const hit = SOFTWARE.find(([re]) => re.test(text));
  if (hit) return hit[1];
  return info.isFallbackAdapter ? 'fallback adapter' : undefined;
}
