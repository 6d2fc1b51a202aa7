/**
 * tfjs-backend-wasm's Identity copies its input, and so does its Transpose when the permutation
 * moves nothing but size-1 axes. The engine clones (Identity) every tensor a kernel saves for its
 * gradient, so under tf.grad each saved activation was copied once more: hundreds of full-size
 * copies per training step of an encoder; gather's gradient ends in an identity transpose of the
 * whole embedding table. No wasm kernel writes into its inputs (Reshape already shares data the
 * same way), so sharing the buffer with a reference count, as the CPU backend does, is safe.
 */
import { getKernel, Identity, registerKernel, Transpose, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo, type TransposeAttrs } from '@tensorflow/tfjs-core';

interface WasmLike {
  incRef(dataId: unknown): void;
}

function share(backend: unknown, x: TensorInfo, shape: number[]): TensorInfo {
  (backend as WasmLike).incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** True when the permutation keeps every axis longer than 1 in its order (the data do not move). */
function movesNothing(shape: number[], perm: number[]): boolean {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  return kept.every((axis, i) => i === 0 || axis > kept[i - 1]);
}

const wrappers: Record<string, (stock: KernelFunc) => KernelFunc> = {
  [Identity]: (stock) => (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype === 'string' ? stock(args) : share(args.backend, x, x.shape);
  },
  [Transpose]: (stock) => (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { perm } = args.attrs as unknown as TransposeAttrs;
    if (x.dtype === 'string' || !movesNothing(x.shape, perm)) return stock(args);
    return share(
      args.backend,
      x,
      perm.map((axis) => x.shape[axis]),
    );
  },
};

const installed = new Map<string, KernelConfig>();

export function registerWasmIdentity(): void {
  for (const [name, wrap] of Object.entries(wrappers)) {
    const current = getKernel(name, 'wasm');
    if (!current || current === installed.get(name)) continue;
    const config: KernelConfig = { kernelName: name, backendName: 'wasm', setupFunc: current.setupFunc, kernelFunc: wrap(current.kernelFunc) };
    installed.set(name, config);
    unregisterKernel(name, 'wasm');
    registerKernel(config);
  }
}
