import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectNodeBackend } from './backend';

describe('Node backend selection', () => {
  it('starts the CPU and WASM backends on request', async () => {
    expect(await selectNodeBackend('cpu')).toEqual({ backend: 'cpu', adapter: undefined, skipped: [] });
    expect((await selectNodeBackend('wasm')).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  // Needs a Vulkan driver: a GPU's, or SwiftShader from Debian's chromium (installed by setup).
  it.runIf(existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') || existsSync('/dev/nvidia0'))('auto picks WebGPU through Dawn and reports the adapter', async () => {
    const info = await selectNodeBackend('auto');
    expect(info.backend).toBe('webgpu');
    expect(info.adapter?.vendor).toBeTruthy();
    expect(info.skipped).toEqual([]);
    const y = tf.tidy(() => tf.sum(tf.matMul(tf.ones([8, 8]), tf.ones([8, 8]))));
    expect((await y.data())[0]).toBe(512);
    y.dispose();
  });
});
