/**
 * What the page's worker can tell about this machine for the device profile: the WebGPU
 * adapter (info, limits, features), cores, navigator.deviceMemory, Chromium's JS heap limit,
 * and the origin's storage usage, quota and persistence. Figures a browser hides stay absent.
 */
import type { DeviceReport } from '../../core/device/profile';
import { adapterReport } from '../adapter-info';

type Nav = Navigator & { gpu?: GPU; deviceMemory?: number };
// Chromium's non-standard performance.memory: the only heap limit a page or worker can read.
type Perf = Performance & { memory?: { jsHeapSizeLimit?: number } };

export async function browserDeviceInfo(): Promise<DeviceReport> {
  const nav = navigator as Nav;
  const [gpu, storage] = await Promise.all([webgpu(nav), storageOf(nav)]);
  return {
    platform: 'browser',
    ...gpu,
    cpuCores: nav.hardwareConcurrency,
    // Rounded down to a power of two and capped (8 GiB) by the browser, for privacy.
    deviceMemoryBytes: nav.deviceMemory ? nav.deviceMemory * 2 ** 30 : undefined,
    jsHeapLimitBytes: (performance as Perf).memory?.jsHeapSizeLimit,
    storage,
  };
}

async function webgpu(nav: Nav): Promise<Pick<DeviceReport, 'gpu' | 'gpuProblem'>> {
  if (!nav.gpu) return { gpuProblem: 'navigator.gpu is missing (this browser or context has no WebGPU)' };
  try {
    const adapter = await nav.gpu.requestAdapter();
    return adapter ? { gpu: adapterReport(adapter) } : { gpuProblem: 'navigator.gpu.requestAdapter() returned no adapter' };
  } catch (e) {
    return { gpuProblem: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}` };
  }
}

async function storageOf(nav: Nav): Promise<DeviceReport['storage']> {
  const est = await nav.storage?.estimate?.().catch(() => undefined);
  if (!est) return undefined;
  const persisted = await nav.storage.persisted?.().catch(() => undefined);
  return { usage: est.usage ?? 0, quota: est.quota ?? 0, ...(persisted !== undefined && { persisted }) };
}
