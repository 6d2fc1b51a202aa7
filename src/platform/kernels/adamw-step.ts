/**
 * The fused AdamW step (core's ADAMW_KERNEL) for the CPU and WASM backends: one pass over the
 * parameter, its gradient and both moments. Composed from tensor ops the step is ~13 kernels per
 * parameter, each a full pass with a full-size temporary: for a 30k-word embedding table (half of
 * a small encoder's weights) that is gigabytes of memory traffic per step.
 */
import { registerKernel, getKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { ADAMW_KERNEL, type AdamWStepAttrs } from '../../core/models/pretrained/adamw';

type F32 = Float32Array;

/** torch.optim.AdamW's element update (decay first, lerp of m, bias-corrected denominator). */
function update(p: F32, g: F32, m: F32, v: F32, outP: F32, outM: F32, outV: F32, a: AdamWStepAttrs): void {
  const keep = 1 - a.decay;
  const c1 = 1 - a.beta1;
  const c2 = 1 - a.beta2;
  const step = a.lr / a.bc1;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = m[i] + (gi - m[i]) * c1;
    const vi = v[i] * a.beta2 + gi * gi * c2;
    outM[i] = mi;
    outV[i] = vi;
    outP[i] = p[i] * keep - (mi / (Math.sqrt(vi) / a.bc2Sqrt + a.eps)) * step;
  }
}

interface Inputs {
  param: TensorInfo;
  grad: TensorInfo;
  m: TensorInfo;
  v: TensorInfo;
}

function check(x: Inputs): void {
  for (const t of [x.grad, x.m, x.v]) {
    if (t.dtype !== 'float32' || x.param.dtype !== 'float32' || t.shape.join() !== x.param.shape.join()) {
      throw new Error(`${ADAMW_KERNEL}: param, grad and moments must be float32 of one shape (got [${x.param.shape}] ${x.param.dtype} and [${t.shape}] ${t.dtype})`);
    }
  }
}

interface CpuLike {
  data: { get(id: unknown): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

const cpuStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs as unknown as Inputs;
  check(x);
  const b = backend as unknown as CpuLike;
  const read = (t: TensorInfo) => b.data.get(t.dataId).values as F32;
  const n = read(x.param).length;
  const [p, m, v] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  update(read(x.param), read(x.grad), read(x.m), read(x.v), p, m, v, attrs as unknown as AdamWStepAttrs);
  return [p, m, v].map((values) => b.makeTensorInfo(x.param.shape, 'float32', values));
};

const wasmStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs as unknown as Inputs;
  check(x);
  const b = backend as unknown as WasmLike;
  // Outputs first: allocating can grow the heap, which detaches views made before it.
  const outs = [0, 1, 2].map(() => b.makeOutput(x.param.shape, 'float32'));
  const [p, m, v] = outs.map((t) => b.typedArrayFromHeap(t));
  const heap = (t: TensorInfo) => b.typedArrayFromHeap(t);
  update(heap(x.param), heap(x.grad), heap(x.m), heap(x.v), p, m, v, attrs as unknown as AdamWStepAttrs);
  return outs;
};

const configs: KernelConfig[] = [
  { kernelName: ADAMW_KERNEL, backendName: 'cpu', kernelFunc: cpuStep },
  { kernelName: ADAMW_KERNEL, backendName: 'wasm', kernelFunc: wasmStep },
];

export function registerAdamWKernels(): void {
  for (const k of configs) {
    const current = getKernel(k.kernelName, k.backendName);
    if (current?.kernelFunc === k.kernelFunc) continue;
    if (current) unregisterKernel(k.kernelName, k.backendName);
    registerKernel(k);
  }
}
