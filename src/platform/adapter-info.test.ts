import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../core/experiment/result';
import { chooseBackend, softwareRenderer, summarizeAdapter, type AdapterFields } from './adapter-info';

// Adapter infos as the browsers and Dawn report them.
const SWIFTSHADER: AdapterFields = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
  isFallbackAdapter: true,
};
const LAVAPIPE: AdapterFields = { vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits) lavapipe' };
const LLVMPIPE: AdapterFields = { vendor: 'mesa', description: 'llvmpipe (LLVM 17.0.6, 256 bits)' };
const WARP: AdapterFields = { vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver' };
const UNNAMED_FALLBACK: AdapterFields = { vendor: '', architecture: '', description: '', isFallbackAdapter: true };
const NVIDIA: AdapterFields = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', isFallbackAdapter: false };
const INTEL: AdapterFields = { vendor: 'intel', architecture: 'gen-12lp', description: '' };

describe('software adapter detection', () => {
  it('names the software renderer behind an adapter, and nothing for a GPU', () => {
    expect(softwareRenderer(SWIFTSHADER)).toBe('SwiftShader');
    expect(softwareRenderer(LAVAPIPE)).toBe('lavapipe');
    expect(softwareRenderer(LLVMPIPE)).toBe('llvmpipe');
    expect(softwareRenderer(WARP)).toBe('Microsoft Basic Render Driver');
    expect(softwareRenderer({ vendor: 'microsoft', description: 'WARP adapter' })).toBe('WARP');
    expect(softwareRenderer(UNNAMED_FALLBACK)).toBe('fallback adapter');
    expect(softwareRenderer(NVIDIA)).toBeUndefined();
    expect(softwareRenderer(INTEL)).toBeUndefined();
    // "warp" inside a word is no WARP.
    expect(softwareRenderer({ vendor: 'apple', description: 'Warpdrive M3' })).toBeUndefined();
  });

  it('summarises an adapter for the record', () => {
    expect(summarizeAdapter(SWIFTSHADER)).toEqual({
      vendor: 'google',
      architecture: 'swiftshader',
      description: 'SwiftShader driver 5.0.0',
      isSwiftShader: true,
      software: 'SwiftShader',
    });
    expect(summarizeAdapter({ vendor: 'nvidia', architecture: 'hopper', device: 'H200' })).toEqual({
      vendor: 'nvidia',
      architecture: 'hopper',
      description: 'H200',
      isSwiftShader: false,
    });
  });
});

/** A platform whose adapter and failing backends the test chooses; logs what it started. */
function platform(adapter: AdapterFields | undefined, failing: string[] = []) {
  const started: string[] = [];
  return {
    started,
    steps: {
      webgpuAdapter: async () => {
        if (!adapter) throw new Error('navigator.gpu is missing');
        return summarizeAdapter(adapter);
      },
      start: async (name: BackendInfo['backend']) => {
        started.push(name);
        if (failing.includes(name)) throw new Error(`${name} failed to start`);
      },
    },
  };
}

describe('backend ranking', () => {
  it('auto takes a GPU adapter first', async () => {
    const p = platform(NVIDIA);
    const info = await chooseBackend('auto', p.steps);
    expect(info).toMatchObject({ backend: 'webgpu', adapter: { vendor: 'nvidia' }, ranking: ['webgpu', 'wasm', 'cpu'], skipped: [] });
    expect(p.started).toEqual(['webgpu']);
  });

  for (const [name, adapter] of [
    ['SwiftShader', SWIFTSHADER],
    ['lavapipe', LAVAPIPE],
    ['Microsoft Basic Render Driver', WARP],
    ['fallback adapter', UNNAMED_FALLBACK],
  ] as const) {
    it(`auto ranks ${name} below WASM, says so, and never starts WebGPU`, async () => {
      const p = platform(adapter);
      expect(await chooseBackend('auto', p.steps)).toEqual({
        backend: 'wasm',
        adapter: undefined,
        ranking: ['wasm', 'webgpu', 'cpu'],
        skipped: [{ backend: 'webgpu', reason: `software adapter (${name}) is slower than WASM on this machine` }],
      });
      expect(p.started).toEqual(['wasm']);
    });
  }

  it('auto takes a software adapter over the CPU backend when WASM fails', async () => {
    const p = platform(SWIFTSHADER, ['wasm']);
    const info = await chooseBackend('auto', p.steps);
    expect(info).toMatchObject({ backend: 'webgpu', adapter: { software: 'SwiftShader' }, skipped: [{ backend: 'wasm', reason: 'wasm failed to start' }] });
    expect(p.started).toEqual(['wasm', 'webgpu']);
  });

  it('auto without WebGPU goes to WASM, then CPU, with every reason', async () => {
    expect(await chooseBackend('auto', platform(undefined).steps)).toEqual({
      backend: 'wasm',
      adapter: undefined,
      ranking: ['wasm', 'cpu'],
      skipped: [{ backend: 'webgpu', reason: 'navigator.gpu is missing' }],
    });
    expect(await chooseBackend('auto', platform(SWIFTSHADER, ['wasm', 'webgpu']).steps)).toEqual({
      backend: 'cpu',
      adapter: undefined,
      ranking: ['wasm', 'webgpu', 'cpu'],
      skipped: [
        { backend: 'wasm', reason: 'wasm failed to start' },
        { backend: 'webgpu', reason: 'webgpu failed to start' },
      ],
    });
    await expect(chooseBackend('auto', platform(undefined, ['wasm', 'cpu']).steps)).rejects.toThrow(
      /No tensor backend could start \(webgpu: navigator.gpu is missing; wasm: wasm failed to start; cpu: cpu failed to start\)/,
    );
  });

  it('an explicit choice is honoured, software adapter or not, and fails loudly', async () => {
    const p = platform(SWIFTSHADER);
    expect(await chooseBackend('webgpu', p.steps)).toMatchObject({ backend: 'webgpu', adapter: { software: 'SwiftShader' }, skipped: [] });
    expect(await chooseBackend('cpu', p.steps)).toEqual({ backend: 'cpu', adapter: undefined, skipped: [] });
    expect(p.started).toEqual(['webgpu', 'cpu']);
    await expect(chooseBackend('webgpu', platform(undefined).steps)).rejects.toThrow('Backend webgpu could not start: navigator.gpu is missing');
    await expect(chooseBackend('wasm', platform(NVIDIA, ['wasm']).steps)).rejects.toThrow('Backend wasm could not start: wasm failed to start');
  });
});
