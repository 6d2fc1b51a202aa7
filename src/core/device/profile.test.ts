import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../experiment/result';
import type { Calibration } from '../lab/quota-api';
import { assembleProfile, deviceProfileOf, PROFILE_LIMITS, type DeviceReport, type GpuReport } from './profile';

// Adapter reports as Chromium and Dawn give them (info fields, a slice of the ~30 limits, features).
const LIMITS = {
  maxBufferSize: 1073741824,
  maxStorageBufferBindingSize: 134217728,
  maxUniformBufferBindingSize: 65536,
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxTextureDimension2D: 8192,
  maxBindGroups: 4,
  maxVertexAttributes: 16,
};
const gpu = (info: GpuReport['info'], features: string[] = []): GpuReport => ({ info, limits: LIMITS, features });
const SWIFTSHADER = gpu({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0' });
const LLVMPIPE = gpu({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 17.0.6, 256 bits)' });
const WARP = gpu({ vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver' });
const NVIDIA = gpu({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, ['timestamp-query', 'shader-f16']);
const WASM: BackendInfo = { backend: 'wasm', skipped: [{ backend: 'webgpu', reason: 'software adapter (SwiftShader) is slower than WASM on this machine' }] };
const report = (g?: GpuReport): DeviceReport => ({ platform: 'browser', gpu: g, cpuCores: 8, deviceMemoryBytes: 8 * 2 ** 30, jsHeapLimitBytes: 4 * 2 ** 30 });

describe('device profile assembly', () => {
  it('marks software adapters by the renderer behind them and a real GPU as none', () => {
    for (const [g, renderer] of [
      [SWIFTSHADER, 'SwiftShader'],
      [LLVMPIPE, 'llvmpipe'],
      [WARP, 'Microsoft Basic Render Driver'],
    ] as const)
      expect(assembleProfile(report(g), WASM, []).gpu).toMatchObject({ software: true, renderer });
    const real = assembleProfile(report(NVIDIA), WASM, []).gpu!;
    expect(real).toMatchObject({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', software: false });
    expect(real.renderer).toBeUndefined();
    // Dawn's fallback flag alone (no name) is still a CPU adapter.
    expect(assembleProfile(report(gpu({ vendor: '', isFallbackAdapter: true })), WASM, []).gpu).toMatchObject({ software: true, renderer: 'fallback adapter' });
  });

  it('keeps the limits that decide whether a model trains, and sorts the features', () => {
    const p = assembleProfile(report(NVIDIA), WASM, []);
    expect(Object.keys(p.gpu!.limits)).toEqual([...PROFILE_LIMITS]);
    expect(p.gpu!.limits.maxStorageBufferBindingSize).toBe(134217728);
    expect(p.gpu!.limits).not.toHaveProperty('maxTextureDimension2D');
    expect(p.gpu!.features).toEqual(['shader-f16', 'timestamp-query']);
    // A limit an older adapter does not report is left out, never invented.
    const partial = assembleProfile(report({ ...NVIDIA, limits: { maxBufferSize: 268435456 } }), WASM, []);
    expect(partial.gpu!.limits).toEqual({ maxBufferSize: 268435456 });
  });

  it('says why there is no adapter, and drops figures the platform could not tell', () => {
    const p = assembleProfile({ platform: 'browser', gpuProblem: 'navigator.gpu is missing', cpuCores: 0, deviceMemoryBytes: NaN }, WASM, []);
    expect(p.gpu).toBeUndefined();
    expect(p.gpuProblem).toBe('navigator.gpu is missing');
    expect(p.cpuCores).toBeUndefined();
    expect(p.deviceMemoryBytes).toBeUndefined();
    expect(p.backend).toBe(WASM);
  });

  it('carries storage, disks and the calibrations, one per backend in order', () => {
    const cal = (backend: Calibration['backend']): Calibration => ({
      backend,
      device: backend,
      trainFlopsPerSecond: 1e9,
      shape: 'ref',
      seconds: 2,
      measuredAt: '2026-11-30T00:00:00Z',
    });
    const p = assembleProfile(
      { ...report(SWIFTSHADER), storage: { usage: 10, quota: 100, persisted: false }, disks: [{ what: 'store', path: 'x', freeBytes: 1, totalBytes: 2 }] },
      WASM,
      [cal('webgpu'), cal('cpu'), cal('wasm')],
    );
    expect(p.storage).toEqual({ usage: 10, quota: 100, persisted: false });
    expect(p.disks).toHaveLength(1);
    expect(p.calibrations.map((c) => c.backend)).toEqual(['cpu', 'wasm', 'webgpu']);
  });

  it('starts the backend before reading the platform, and refuses a lab with no device port', async () => {
    const order: string[] = [];
    const p = await deviceProfileOf({
      backend: async () => (order.push('backend'), WASM),
      report: async () => (order.push('report'), report(SWIFTSHADER)),
      calibrations: async () => [],
    });
    expect(order).toEqual(['backend', 'report']);
    expect(p.gpu!.software).toBe(true);
    await expect(deviceProfileOf({ backend: async () => WASM, calibrations: async () => [] })).rejects.toThrow(/reports no device profile/);
  });
});
