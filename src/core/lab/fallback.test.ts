import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../experiment/result';
import type { TrainEvent } from '../train/events';
import { KernelMissingError, missingKernel } from '../util/errors';
import { withBackendFallback } from './fallback';

describe('backend fallback', () => {
  it('recognises TF.js missing-kernel errors', () => {
    const e = missingKernel(new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"));
    expect(e).toBeInstanceOf(KernelMissingError);
    expect(e).toMatchObject({ kernel: 'Conv2DBackpropFilter', backend: 'wasm' });
    expect(missingKernel(new Error('something else'))).toBeUndefined();
  });

  it('restarts on the next backend with a warning naming the kernel, never silently', async () => {
    const selected: string[] = [];
    const events: TrainEvent[] = [];
    const select = async (c: string): Promise<BackendInfo> => {
      selected.push(c);
      return { backend: c as BackendInfo['backend'], skipped: [] };
    };
    const result = await withBackendFallback(
      select,
      'wasm',
      async (b) => {
        if (b.backend === 'wasm') throw new KernelMissingError('Conv2DBackpropFilter', 'wasm');
        return b;
      },
      (e) => events.push(e),
    );
    expect(selected).toEqual(['wasm', 'cpu']);
    expect(result.backend).toBe('cpu');
    expect(result.skipped).toEqual([{ backend: 'wasm', reason: expect.stringMatching(/Conv2DBackpropFilter/) }]);
    expect(events).toEqual([{ type: 'log', level: 'warn', message: expect.stringMatching(/no 'Conv2DBackpropFilter' kernel.*starting again on the cpu backend/) }]);
  });

  it('gives up with the error when no backend is left', async () => {
    await expect(withBackendFallback(async () => ({ backend: 'cpu', skipped: [] }), 'cpu', async () => { throw new KernelMissingError('X', 'cpu'); })).rejects.toThrow(/no 'X' kernel/);
  });
});
