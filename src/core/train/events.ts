/**
 * Training events: one typed union from the model's inner loop up to the page or terminal.
 * Plain data only, so they cross `postMessage` unchanged.
 */
export type TrainEvent =
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'phase'; phase: string; done: number; total: number }
  | {
      type: 'step';
      step: number;
      /** Steps in the whole run, when known. */
      totalSteps?: number;
      epoch: number;
      /** Epochs in the whole run, when known: with `totalSteps`, what progress and ETA are shown against. */
      totalEpochs?: number;
      loss: number;
      accuracy: number;
      lr: number;
      examplesPerSec: number;
      tokensPerSec?: number;
      gradNorm?: number;
      paramNorm?: number;
      tensors?: number;
      bytes?: number;
      /** WebGPU only: bytes of GPU buffers allocated, the backend's pool of freed ones included (numBytesAllocatedInGPU). */
      gpuBytes?: number;
      /** Present when validation runs every N steps. */
      validation?: { loss: number; accuracy: number; macroF1: number };
    }
  | {
      type: 'epoch';
      epoch: number;
      step: number;
      train: { loss: number; accuracy: number };
      validation?: { loss: number; accuracy: number; macroF1: number };
      examplesPerSec: number;
      seconds: number;
    };
