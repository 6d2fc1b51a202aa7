import { describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../platform/node/backend';
import { describeOnnxDevice, pickOnnxDevice } from './onnx-device';

/**
 * The demo's ONNX device follows the lab's rule: WebGPU on a real GPU, WASM with the reason
 * otherwise. Dawn (installed as navigator.gpu by the Node runner's backend choice) stands in for
 * the browser's WebGPU with the same adapter shape: a GPU on a GPU machine, SwiftShader or
 * nothing on a CI box.
 */
describe('pickOnnxDevice', () => {
  it('runs on WASM, and says why, in a context without navigator.gpu', async () => {
    const picked = await pickOnnxDevice(undefined);
    expect(picked).toEqual({ device: 'wasm', reason: 'navigator.gpu is missing (this browser or context has no WebGPU)' });
    expect(describeOnnxDevice(picked)).toBe('ONNX Runtime on WASM (navigator.gpu is missing (this browser or context has no WebGPU))');
  });

  it("picks what the lab's `auto` picks on this machine's adapter, with the same reason", async () => {
    const info = await selectNodeBackend('auto');
    const gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
    const picked = await pickOnnxDevice(gpu);
    if (info.backend === 'webgpu') return expect(describeOnnxDevice(picked)).toBe('ONNX Runtime on WebGPU');
    if (!gpu) return expect(picked).toMatchObject({ device: 'wasm', reason: expect.stringMatching(/^navigator\.gpu is missing/) });
    const passedOver = info.skipped.find((s) => s.backend === 'webgpu')!.reason;
    expect(picked).toEqual({ device: 'wasm', reason: passedOver });
    expect(describeOnnxDevice(picked)).toMatch(/^ONNX Runtime on WASM \(software adapter \(.+\) is slower than WASM on this machine\)$/);
  });
});
