/**
 * How both training loops (train/loop.ts, the pretrained fine-tune loop) report a step that
 * failed: out of memory with the settings that would fit, a missing kernel by name (the lab then
 * tries the next backend), anything else as it was thrown.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, KernelMissingError, missingKernel } from '../util/errors';

/** Allocation failures as the backends word them (WebGPU/Dawn, WebGL, WASM, JS heap). */
export function isOutOfMemory(e: unknown): boolean {
  return /out of memory|\bOOM\b|failed to allocate|allocation failed|Array buffer allocation|exceeds the maximum|createBuffer.*(too large|failed)/i.test(
    String((e as Error)?.message ?? e),
  );
}

/** The error to throw for a failed training step; `suggestions` are config changes that need less memory. */
export function trainingFailure(e: unknown, step: number, suggestions: string[]): unknown {
  if (isOutOfMemory(e))
    return new BackendError(`The device ran out of memory at step ${step} (${(e as Error).message}). Try ${suggestions.join('; or ')}. The run's last checkpoint is intact.`, {
      outOfMemory: true,
      step,
      suggestions,
    });
  const missing = missingKernel(e);
  if (missing) return new KernelMissingError(missing.kernel, tf.getBackend());
  return e;
}
