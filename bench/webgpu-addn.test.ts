/**
 * tf.addN over more tensors than a WebGPU device binds per shader (8 by default): without the
 * chunking the pipeline fails validation and the read below never resolves.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../src/platform/node/backend';
import { chunkWebGpuAddN } from './webgpu-addn';

describe.runIf(existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') || existsSync('/dev/nvidia0'))('AddN on WebGPU', () => {
  it('sums 20 tensors in chunks the device can bind, leaving no tensor behind', async () => {
    await selectNodeBackend('webgpu');
    expect(chunkWebGpuAddN()).toBe(true);
    expect(chunkWebGpuAddN()).toBe(false);
    const xs = Array.from({ length: 20 }, (_, i) => tf.tensor1d([i, 2 * i, -i]));
    const before = tf.memory().numTensors;
    const sum = tf.addN(xs);
    expect(Array.from(await sum.data())).toEqual([190, 380, -190]);
    sum.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(xs);
    await selectNodeBackend('cpu');
  });
});
