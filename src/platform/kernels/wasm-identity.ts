/**
 * tfjs-backend-wasm's Identity copies its input. The engine clones (Identity) every tensor a
 * kernel saves for its gradient, so under tf.grad each saved activation was copied once more:
 * hundreds of full-size copies per training step of an encoder. No wasm kernel writes into its
 * inputs (Reshape already shares data the same way), so sharing the buffer with a reference count,
 * as the CPU backend does, is safe.
 */
import { getKernel, Identity, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface WasmLike {
  incRef(dataId: unknown): void;
}

let installed: KernelConfig | undefined;

export function registerWasmIdentity(): void {
  const current = getKernel(Identity, 'wasm');
  if (!current || current === installed) return;
  const stock = current.kernelFunc;
  const share: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return stock(args);
    (args.backend as unknown as WasmLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  installed = { kernelName: Identity, backendName: 'wasm', setupFunc: current.setupFunc, kernelFunc: share };
  unregisterKernel(Identity, 'wasm');
  registerKernel(installed);
}
