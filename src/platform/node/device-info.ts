/**
 * What the runner can tell about this machine for the device profile: Dawn's WebGPU adapter
 * (info, limits, features), cores, total memory, V8's heap limit, and the free and total bytes
 * of the disks that hold the lab's store, its model cache and the run folders.
 */
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { DeviceReport } from '../../core/device/profile';
import { adapterReport } from '../adapter-info';
import { cacheDir } from './data-source';

export interface DiskPlace {
  what: string;
  path: string;
}

/** Where the runner keeps things: its store, the downloads cached in it, and `runs/` (train's default --out). */
export function runnerPlaces(): DiskPlace[] {
  const store = join(cacheDir(), 'lab');
  return [
    { what: 'store', path: store },
    { what: 'model cache', path: join(store, 'cache') },
    { what: 'run folders', path: resolve('runs') },
  ];
}

export async function nodeDeviceInfo(places: DiskPlace[] = runnerPlaces()): Promise<DeviceReport> {
  const heap = getHeapStatistics();
  return {
    platform: 'node',
    ...(await webgpu()),
    cpuCores: availableParallelism(),
    deviceMemoryBytes: totalmem(),
    jsHeapLimitBytes: heap.heap_size_limit,
    disks: await Promise.all(places.map(disk)),
  };
}

/** A folder not made yet (no run so far) sits on the disk of its nearest existing parent. */
async function disk(place: DiskPlace): Promise<{ what: string; path: string; freeBytes: number; totalBytes: number }> {
  let p = place.path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  const s = await statfs(p);
  return { ...place, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

async function webgpu(): Promise<Pick<DeviceReport, 'gpu' | 'gpuProblem'>> {
  // The backend selection installs Dawn's navigator.gpu (with SwiftShader's Vulkan driver when
  // there is no GPU); a lab on an explicit wasm or cpu backend never did, so ask Dawn here.
  let gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
  try {
    if (!gpu) gpu = (await import('webgpu')).create([]);
    const adapter = await gpu.requestAdapter();
    return adapter ? { gpu: adapterReport(adapter) } : { gpuProblem: 'no WebGPU adapter (no usable Vulkan driver; install chromium for SwiftShader, or libvulkan1)' };
  } catch (e) {
    return { gpuProblem: `Dawn WebGPU failed: ${(e as Error).message}` };
  }
}
