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
  it.runIf(existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') || existsSync('/dev/nvidia0'))(
    'an explicit webgpu runs on any adapter; auto ranks a software one below WASM and says why',
    async () => {
      const explicit = await selectNodeBackend('webgpu');
      expect(explicit.backend).toBe('webgpu');
      expect(explicit.adapter?.vendor).toBeTruthy();
      const y = tf.tidy(() => tf.sum(tf.matMul(tf.ones([8, 8]), tf.ones([8, 8]))));
      expect((await y.data())[0]).toBe(512);
      y.dispose();

      const software = explicit.adapter?.software;
      // A machine without a GPU gets SwiftShader (the adapter reports itself as a fallback too).
      if (!existsSync('/dev/nvidia0')) expect(software).toBe('SwiftShader');
      const auto = await selectNodeBackend('auto');
      if (software) {
        expect(auto).toEqual({
          backend: 'wasm',
          adapter: undefined,
          ranking: ['wasm', 'webgpu', 'cpu'],
          skipped: [{ backend: 'webgpu', reason: `software adapter (${software}) is slower than WASM on this machine` }],
        });
        expect(tf.getBackend()).toBe('wasm');
      } else {
        expect(auto).toMatchObject({ backend: 'webgpu', skipped: [] });
      }
    },
  );
});
