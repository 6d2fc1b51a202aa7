/**
 * The device profile: what the platform reports about this machine (WebGPU adapter, cores,
 * memory, heap, storage, disks), assembled with the backend a run would take and the cached
 * calibrations into the one record the page's dashboard and `agnews device` show. The platform
 * reads; this file decides what it means (software adapter or not, which limits matter).
 */
import type { BackendInfo } from '../experiment/result';
import type { Calibration, DeviceProfile } from '../lab/quota-api';
import { LabError } from '../util/errors';
import { softwareRenderer, type AdapterFields } from './software';

/** A WebGPU adapter as plain data: its info, every numeric limit and its features. */
export interface GpuReport {
  info: AdapterFields;
  limits: Record<string, number>;
  features: string[];
}

/** What a platform reports about the machine it runs on; each figure only where it can tell. */
export interface DeviceReport {
  platform: DeviceProfile['platform'];
  gpu?: GpuReport;
  /** Why there is no adapter (no navigator.gpu, requestAdapter returned none). */
  gpuProblem?: string;
  cpuCores?: number;
  deviceMemoryBytes?: number;
  jsHeapLimitBytes?: number;
  storage?: DeviceProfile['storage'];
  disks?: DeviceProfile['disks'];
}

/**
 * The limits that decide whether a model trains on the adapter: the largest buffer and storage
 * binding (a weight matrix or an activation is one), and the compute dispatch shape TF.js's
 * kernels use. The adapter reports ~30; the rest never stop a run here.
 */
export const PROFILE_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxUniformBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

export function pickLimits(limits: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of PROFILE_LIMITS) if (Number.isFinite(limits[key])) out[key] = limits[key];
  return out;
}

/** A platform's report, the backend a run takes now and this device's calibrations as one profile. */
export function assembleProfile(report: DeviceReport, backend: BackendInfo, calibrations: Calibration[]): DeviceProfile {
  const gpu = report.gpu;
  const renderer = gpu && softwareRenderer(gpu.info);
  const positive = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined);
  return {
    platform: report.platform,
    backend,
    ...(gpu && {
      gpu: {
        vendor: gpu.info.vendor ?? '',
        architecture: gpu.info.architecture ?? '',
        ...(gpu.info.device && { device: gpu.info.device }),
        ...(gpu.info.description && { description: gpu.info.description }),
        software: renderer !== undefined,
        ...(renderer && { renderer }),
        limits: pickLimits(gpu.limits),
        features: [...gpu.features].sort(),
      },
    }),
    ...(!gpu && report.gpuProblem && { gpuProblem: report.gpuProblem }),
    cpuCores: positive(report.cpuCores),
    deviceMemoryBytes: positive(report.deviceMemoryBytes),
    jsHeapLimitBytes: positive(report.jsHeapLimitBytes),
    ...(report.storage && { storage: report.storage }),
    ...(report.disks && { disks: report.disks }),
    calibrations: [...calibrations].sort((a, b) => a.backend.localeCompare(b.backend)),
  };
}

export interface DeviceProfileDeps {
  /** The platform's report (LabPorts.deviceInfo). */
  report?: () => Promise<DeviceReport>;
  /** The backend a run would use now (while a job runs, its own). */
  backend: () => Promise<BackendInfo>;
  /** Cached calibrations of this device. */
  calibrations: () => Promise<Calibration[]>;
}

/** The lab's deviceProfile call. The backend starts first: in Node it is what installs Dawn's navigator.gpu. */
export async function deviceProfileOf(deps: DeviceProfileDeps): Promise<DeviceProfile> {
  if (!deps.report) throw new LabError('This platform reports no device profile (the lab was created without a deviceInfo port).');
  const backend = await deps.backend();
  const [report, calibrations] = await Promise.all([deps.report(), deps.calibrations()]);
  return assembleProfile(report, backend, calibrations);
}
