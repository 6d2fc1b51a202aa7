import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeviceProfile } from '../core/lab/quota-api';

// The runner from another folder, so its default run folders (./runs) are that folder's, and a fresh store.
const cwd = mkdtempSync(join(tmpdir(), 'agnews-device-'));
const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const agnews = (...args: string[]) =>
  spawnSync(process.execPath, [resolve('bin/agnews.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, AGNEWS_CACHE: cache } });

describe('agnews device', () => {
  it('--json prints the profile as the last line: Dawn adapter, limits, cores, memory, heap, disks', () => {
    const out = agnews('device', '--json');
    expect(out.status, out.stderr).toBe(0);
    const p = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as DeviceProfile;
    expect(p.platform).toBe('node');
    expect(['webgpu', 'wasm', 'cpu']).toContain(p.backend.backend);
    expect(p.cpuCores).toBe(availableParallelism());
    expect(p.deviceMemoryBytes).toBe(totalmem());
    expect(p.jsHeapLimitBytes).toBeGreaterThan(2 ** 28);
    expect(p.calibrations).toEqual(expect.any(Array));
    // Dawn's adapter (SwiftShader on a machine without a GPU): auto passes over a software one, and says why.
    expect(p.gpu ?? p.gpuProblem).toBeDefined();
    if (p.gpu) {
      expect(p.gpu.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
      expect(p.gpu.limits.maxBufferSize).toBeGreaterThanOrEqual(p.gpu.limits.maxStorageBufferBindingSize);
      expect(p.gpu.features).toEqual([...p.gpu.features].sort());
      if (p.gpu.software) {
        expect(p.backend.backend).not.toBe('webgpu');
        expect(p.backend.skipped[0]).toMatchObject({ backend: 'webgpu', reason: expect.stringContaining(`software adapter (${p.gpu.renderer})`) });
      } else expect(p.backend.backend).toBe('webgpu');
    }
    expect(p.disks!.map((d) => [d.what, d.path])).toEqual([
      ['store', join(cache, 'lab')],
      ['model cache', join(cache, 'lab', 'cache')],
      ['run folders', join(realpathSync(cwd), 'runs')],
    ]);
    for (const d of p.disks!) {
      expect(d.freeBytes).toBeGreaterThan(0);
      expect(d.freeBytes).toBeLessThanOrEqual(d.totalBytes);
    }
  }, 120_000);

  it('prints a summary a person reads, and refuses an unknown backend in one line', () => {
    const out = agnews('device');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^backend {5}(webgpu|wasm|cpu)/m);
    expect(out.stdout).toMatch(/^adapter {5}\S/m);
    expect(out.stdout).toMatch(/^disk {8}run folders/m);
    const bad = agnews('device', '--backend', 'tpu');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/tpu/);
  }, 120_000);
});
