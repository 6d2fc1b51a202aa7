/**
 * WebGPU's AddN binds every input as a storage buffer of one shader, and a device gets 8 of
 * those per stage unless it asks for more (TF.js does not): tf.addN over the ~100 gradients of
 * an encoder then fails validation and the next read of a result waits forever. This wraps the
 * registered kernel so that a long list is summed in chunks that fit the device's limit, the
 * way the backend's own Concat already splits its inputs. Idempotent; a no-op off WebGPU.
 */
import * as tf from '@tensorflow/tfjs-core';

const wrapped = new WeakSet<object>();

export function chunkWebGpuAddN(): boolean {
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original || wrapped.has(original)) return false;
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = args.backend as tf.KernelBackend & { device: GPUDevice };
    const max = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    let inputs = args.inputs as unknown as tf.TensorInfo[];
    const made: tf.TensorInfo[] = [];
    while (inputs.length > max) {
      const sums: tf.TensorInfo[] = [];
      for (let i = 0; i < inputs.length; i += max) {
        const part = inputs.slice(i, i + max);
        if (part.length === 1) sums.push(part[0]);
        else {
          const s = original.kernelFunc({ ...args, inputs: part as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
          made.push(s);
          sums.push(s);
        }
      }
      inputs = sums;
    }
    const out = original.kernelFunc({ ...args, inputs: inputs as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
    for (const t of made) backend.disposeData(t.dataId);
    return out;
  };
  const config: tf.KernelConfig = { ...original, kernelFunc };
  wrapped.add(config);
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel(config);
  return true;
}
