/**
 * Per-backend fallback, said out loud: when a model needs a kernel the chosen backend lacks
 * (TF.js WASM has no Conv2DBackpropFilter, for one), the run restarts on the next backend in
 * the order `auto` ranked them on this machine (WASM, then a software WebGPU adapter, then
 * CPU without a GPU), or WebGPU, WASM, CPU after an explicit choice, with a warning event
 * naming the kernel. Never silent.
 */
import type { BackendChoice, BackendInfo } from '../experiment/result';
import type { TrainEvent } from '../train/events';
import { KernelMissingError } from '../util/errors';

const ORDER: BackendInfo['backend'][] = ['webgpu', 'wasm', 'cpu'];

export async function withBackendFallback<T>(
  select: (choice: BackendChoice) => Promise<BackendInfo>,
  choice: BackendChoice,
  /** `retry`: a later attempt, whose run folder holds the failed attempt's files (the lab replaces them). */
  job: (backend: BackendInfo, retry: boolean) => Promise<T>,
  onEvent?: (e: TrainEvent) => void,
): Promise<T> {
  let info = await select(choice);
  const ranking = info.ranking ?? ORDER;
  const skipped: BackendInfo['skipped'] = [];
  for (;;) {
    try {
      return await job({ ...info, skipped: [...info.skipped, ...skipped] }, skipped.length > 0);
    } catch (e) {
      if (!(e instanceof KernelMissingError)) throw e;
      const next = ranking[ranking.indexOf(info.backend) + 1];
      if (!next) throw e;
      skipped.push({ backend: info.backend, reason: e.message });
      onEvent?.({ type: 'log', level: 'warn', message: `${e.message}: starting again on the ${next} backend.` });
      info = await select(next);
    }
  }
}
