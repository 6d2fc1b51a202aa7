/**
 * UnsortedSegmentSum is the gradient of `gather`, so every embedding layer needs it.
 * tfjs-backend-cpu implements it as one masked sum per segment (O(segments x rows x width):
 * minutes per step for a 100k-row embedding) and tfjs-backend-wasm has no kernel at all.
 * These kernels scatter-add in one pass. WebGPU has its own atomic kernel and is left alone.
 */
import { getKernel, registerKernel, unregisterKernel, UnsortedSegmentSum, type KernelConfig, type TensorInfo, type UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';

type Values = ArrayLike<number>;

/** Adds row r of x into row ids[r] of out (zeros, numSegments rows of x's width). */
function scatterAdd(x: Values, ids: Values, numSegments: number, out: Float32Array): Float32Array {
  const rows = ids.length;
  const width = rows ? x.length / rows : 0;
  for (let r = 0; r < rows; r++) {
    const seg = ids[r];
    if (seg < 0 || seg >= numSegments) continue; // TF drops out-of-range ids
    const o = seg * width;
    const s = r * width;
    for (let j = 0; j < width; j++) out[o + j] += x[s + j];
  }
  return out;
}

interface CpuLike {
  data: { get(id: unknown): { values: Values } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
interface WasmLike {
  readSync(id: unknown): Values;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/**
 * One kernel per backend around the same scatter-add; the backends differ only in how they
 * read an input's values and where the output lives (`write` gets a function that fills a zeroed
 * array: WASM's is the output's own heap memory, so an embedding table's gradient is not built in
 * JS and then copied).
 */
function kernel<B>(
  backendName: string,
  read: (b: B, t: TensorInfo) => Values,
  write: (b: B, shape: number[], fill: (out: Float32Array) => Float32Array) => TensorInfo,
): KernelConfig {
  return {
    kernelName: UnsortedSegmentSum,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
      const b = backend as unknown as B;
      const [values, ids] = [read(b, x), read(b, segmentIds)];
      return write(b, [numSegments, ...x.shape.slice(segmentIds.shape.length)], (out) => scatterAdd(values, ids, numSegments, out));
    },
  };
}

const cpu = kernel<CpuLike>(
  'cpu',
  (b, t) => b.data.get(t.dataId).values,
  (b, shape, fill) => b.makeTensorInfo(shape, 'float32', fill(new Float32Array(shape.reduce((n, d) => n * d, 1)))),
);

const wasm = kernel<WasmLike>(
  'wasm',
  (b, t) => b.readSync(t.dataId),
  (b, shape, fill) => {
    const out = b.makeOutput(shape, 'float32');
    fill(b.typedArrayFromHeap(out).fill(0));
    return out;
  },
);

/** Call after the CPU backend module is imported (its own slow kernel is replaced). */
export function registerSegmentSumKernels(): void {
  for (const k of [cpu, wasm]) {
    if (getKernel(k.kernelName, k.backendName)?.kernelFunc === k.kernelFunc) continue;
    if (getKernel(k.kernelName, k.backendName)) unregisterKernel(k.kernelName, k.backendName);
    registerKernel(k);
  }
}
