/**
 * tfjs-backend-wasm 4.22 runs BatchMatMul through XNNPACK only when neither side is transposed
 * and both batch sizes are 1; every other case (x W^T in every linear layer, dy^T x in every
 * weight gradient, the batched attention products) falls into a scalar triple loop that is 10-20x
 * slower (`npm run bench -- matmul`). This kernel brings every case to the fast path: transposed
 * operands are transposed once by the backend's own Transpose kernel, a batch that shares one
 * right-hand side folds into the rows of a single product, and other batches run one XNNPACK
 * product per item on zero-copy views of the operands' memory.
 */
import {
  BatchMatMul,
  broadcast_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  util,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses (it exports no such type). */
interface WasmBackend {
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
  };
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: unknown): { id: number; memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: unknown): boolean;
}

type RawMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, transA: boolean, transB: boolean, outId: number) => void;

const shapeBytes = (s: number[]) => new Uint8Array(new Int32Array(s).buffer);
const rawByModule = new WeakMap<object, RawMatMul>();

function raw(backend: WasmBackend): RawMatMul {
  let f = rawByModule.get(backend.wasm);
  if (!f) {
    f = backend.wasm.cwrap(BatchMatMul, null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as RawMatMul;
    rawByModule.set(backend.wasm, f);
  }
  return f;
}

/** The operand with its last two axes swapped (the caller disposes it). */
function swapLast(backend: WasmBackend, x: TensorInfo): TensorInfo {
  const transpose = getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error("wasm BatchMatMul: the wasm backend's Transpose kernel is not registered");
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return transpose.kernelFunc({ inputs: { x }, backend: backend as never, attrs: { perm } }) as TensorInfo;
}

/**
 * out[i] = a[i] b[i] on XNNPACK, a: [batchA, m, k], b: [batchB, k, n] (row-major, untransposed),
 * batchA and batchB equal or one of them 1. Views are extra tensor ids over the operands' memory;
 * disposing a view id frees nothing but the XNNPACK operator cached on it.
 */
function fastProducts(backend: WasmBackend, a: TensorInfo, b: TensorInfo, batchA: number, batchB: number, m: number, k: number, n: number): TensorInfo {
  const matmul = raw(backend);
  const batch = Math.max(batchA, batchB);
  const aInfo = backend.dataIdMap.get(a.dataId);
  const bInfo = backend.dataIdMap.get(b.dataId);
  if (batchB === 1) {
    // One right-hand side: the batch is just more rows of one product.
    const out = backend.makeOutput([batch, m, n], 'float32');
    matmul(aInfo.id, shapeBytes([1, batchA * m, k]), 3, bInfo.id, shapeBytes([1, k, n]), 3, false, false, backend.dataIdMap.get(out.dataId).id);
    return out;
  }
  const out = backend.makeOutput([batch, m, n], 'float32');
  const outOffset = backend.dataIdMap.get(out.dataId).memoryOffset;
  const views: number[] = [];
  const view = (offset: number, size: number) => {
    const id = backend.dataIdNextNumber++;
    backend.wasm.tfjs.registerTensor(id, size, offset);
    views.push(id);
    return id;
  };
  try {
    const aShape = shapeBytes([1, m, k]);
    const bShape = shapeBytes([1, k, n]);
    for (let i = 0; i < batch; i++) {
      const aId = batchA === 1 ? aInfo.id : view(aInfo.memoryOffset + i * m * k * 4, m * k);
      const bId = view(bInfo.memoryOffset + i * k * n * 4, k * n);
      matmul(aId, aShape, 3, bId, bShape, 3, false, false, view(outOffset + i * m * n * 4, m * n));
    }
  } finally {
    for (const id of views) backend.wasm.tfjs.disposeData(id);
  }
  return out;
}

function fastBatchMatMul(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const backend = args.backend as unknown as WasmBackend;
    const batchA = util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = util.sizeFromShape(b.shape.slice(0, -2));
    // Broadcasts over several batch axes (e.g. [2,1] against [1,3]) keep the stock kernel.
    const sameBatch = a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    const simple = batchA === 1 || batchB === 1 || sameBatch;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !simple) return fallback(args);
    const at = transposeA ? swapLast(backend, a) : a;
    const bt = transposeB ? swapLast(backend, b) : b;
    try {
      const [m, k] = at.shape.slice(-2);
      const [k2, n] = bt.shape.slice(-2);
      if (k !== k2) throw new Error(`matMul: inner dimensions ${k} and ${k2} of shapes [${a.shape}] and [${b.shape}] (transposeA ${transposeA}, transposeB ${transposeB}) differ`);
      const out = fastProducts(backend, at, bt, batchA, batchB, m, k, n);
      out.shape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
      return out;
    } finally {
      if (at !== a) backend.disposeData(at.dataId);
      if (bt !== b) backend.disposeData(bt.dataId);
    }
  };
}

let installed: KernelConfig | undefined;

/**
 * Replaces the wasm backend's BatchMatMul (call after @tensorflow/tfjs-backend-wasm is imported
 * and before the backend starts, so the stock kernel's setup runs through this config).
 */
export function registerWasmMatMul(): void {
  const current = getKernel(BatchMatMul, 'wasm');
  if (!current || current === installed) return;
  const stock = current;
  installed = { kernelName: BatchMatMul, backendName: 'wasm', setupFunc: stock.setupFunc, kernelFunc: fastBatchMatMul(stock.kernelFunc) };
  unregisterKernel(BatchMatMul, 'wasm');
  registerKernel(installed);
}
