/** `agnews device [--json]`: this machine as the lab sees it (the lab's deviceProfile), printed. */
import type { BackendChoice } from '../core/experiment/result';
import type { DeviceProfile } from '../core/lab/quota-api';
import { createNodeLab } from '../platform/node/node-lab';
import { printRecord } from './util';

export async function deviceCommand(opts: { json?: boolean; backend?: BackendChoice }): Promise<void> {
  const profile = await createNodeLab({ backend: opts.backend }).deviceProfile();
  if (opts.json) return printRecord(profile, true);
  process.stdout.write(deviceLines(profile).join('\n') + '\n');
}

const GiB = 2 ** 30;
const size = (n: number | undefined) => (n === undefined ? 'unknown' : n >= GiB ? `${(n / GiB).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(0)} MiB`);

export function deviceLines(p: DeviceProfile): string[] {
  const b = p.backend;
  const gpu = p.gpu;
  return [
    `backend     ${b.backend}${b.skipped.length ? ` (skipped: ${b.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')})` : ''}`,
    gpu
      ? `adapter     ${[gpu.vendor, gpu.architecture, gpu.description ?? gpu.device].filter(Boolean).join(' · ')}${gpu.software ? ` — software (${gpu.renderer}), not a GPU` : ''}`
      : `adapter     none${p.gpuProblem ? ` (${p.gpuProblem})` : ''}`,
    ...(gpu ? Object.entries(gpu.limits).map(([k, v]) => `  ${k.padEnd(34)} ${v >= 2 ** 20 ? size(v) : v}`) : []),
    ...(gpu ? [`features    ${gpu.features.join(', ') || 'none'}`] : []),
    `cpu cores   ${p.cpuCores ?? 'unknown'}`,
    `memory      ${size(p.deviceMemoryBytes)}`,
    `js heap     ${size(p.jsHeapLimitBytes)} limit`,
    ...(p.storage ? [`storage     ${size(p.storage.usage)} of ${size(p.storage.quota)}${p.storage.persisted ? ' (persisted)' : ''}`] : []),
    ...(p.disks ?? []).map((d) => `disk        ${d.what.padEnd(12)} ${size(d.freeBytes)} free of ${size(d.totalBytes)}  ${d.path}`),
    p.calibrations.length
      ? `calibrated  ${p.calibrations.map((c) => `${c.backend} ${(c.trainFlopsPerSecond / 1e9).toFixed(2)} GFLOP/s (${c.measuredAt})`).join('; ')}`
      : 'calibrated  not yet',
  ];
}
