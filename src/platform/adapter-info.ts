/**
 * What a WebGPU adapter is (Dawn in Node and Chromium share the shape), and the one backend
 * ranking both platforms use. A software adapter (SwiftShader, lavapipe/llvmpipe, WARP) runs
 * WebGPU on the CPU and trains far slower than TF.js's WASM backend on the same cores, so
 * `auto` ranks it below WASM, and says so; an explicit `webgpu` still gets it.
 */
import type { BackendChoice, BackendInfo } from '../core/experiment/result';
import type { GpuReport } from '../core/device/profile';
import { softwareRenderer, type AdapterFields } from '../core/device/software';
import { BackendError } from '../core/util/errors';

// The software-adapter table lives in core, where the device profile reads it too.
export { softwareRenderer, type AdapterFields };

type Name = BackendInfo['backend'];
export type AdapterSummary = NonNullable<BackendInfo['adapter']>;

export function summarizeAdapter(info: AdapterFields): AdapterSummary {
  const software = softwareRenderer(info);
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description || info.device,
    isSwiftShader: software === 'SwiftShader',
    ...(software && { software }),
  };
}

/** GPUAdapterInfo as plain fields. */
export function adapterFields(adapter: GPUAdapter): AdapterFields {
  // GPUAdapterInfo's fields are prototype getters (a spread copies none), and
  // `isFallbackAdapter` moved from the adapter to its info: read whichever this build has.
  const i: AdapterFields = adapter.info;
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter ?? legacy };
}

export function describeAdapter(adapter: GPUAdapter): AdapterSummary {
  return summarizeAdapter(adapterFields(adapter));
}

/** An adapter's info, limits and features as plain data, for the device profile (core/device/profile.ts). */
export function adapterReport(adapter: GPUAdapter): GpuReport {
  const limits: Record<string, number> = {};
  // GPUSupportedLimits' members are prototype getters too: for-in walks them (WebIDL attributes are enumerable).
  for (const key in adapter.limits) {
    const v = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number') limits[key] = v;
  }
  return { info: adapterFields(adapter), limits, features: [...adapter.features] };
}

export const softwareReason = (software: string): string => `software adapter (${software}) is slower than WASM on this machine`;

/** How a platform reaches its backends: find the WebGPU adapter, and make a backend current. */
export interface BackendSteps {
  /** Throws with a reason when there is no WebGPU adapter. */
  webgpuAdapter(): Promise<AdapterSummary>;
  /** Throws with a reason when the backend cannot start. */
  start(name: Name): Promise<void>;
}

/**
 * `auto` tries a GPU's WebGPU, then WASM, then a software adapter's WebGPU, then TF.js's CPU
 * backend, and records why each backend ranked above the one it got was passed over.
 */
export async function chooseBackend(choice: BackendChoice, steps: BackendSteps): Promise<BackendInfo> {
  if (choice !== 'auto') {
    try {
      const adapter = choice === 'webgpu' ? await steps.webgpuAdapter() : undefined;
      await steps.start(choice);
      return { backend: choice, adapter, skipped: [] };
    } catch (e) {
      throw new BackendError(`Backend ${choice} could not start: ${(e as Error).message}`);
    }
  }
  const skipped: BackendInfo['skipped'] = [];
  let adapter: AdapterSummary | undefined;
  try {
    adapter = await steps.webgpuAdapter();
  } catch (e) {
    skipped.push({ backend: 'webgpu', reason: (e as Error).message });
  }
  const order: Name[] = !adapter ? ['wasm', 'cpu'] : adapter.software ? ['wasm', 'webgpu', 'cpu'] : ['webgpu', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      await steps.start(name);
    } catch (e) {
      skipped.push({ backend: name, reason: (e as Error).message });
      continue;
    }
    const passedOver = adapter?.software && order.indexOf(name) < order.indexOf('webgpu');
    return {
      backend: name,
      adapter: name === 'webgpu' ? adapter : undefined,
      ranking: order,
      skipped: passedOver ? [{ backend: 'webgpu', reason: softwareReason(adapter!.software!) }, ...skipped] : skipped,
    };
  }
  throw new BackendError(`No tensor backend could start (${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')})`);
}
