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
    const retries: boolean[] = [];
    const select = async (c: string): Promise<BackendInfo> => {
      selected.push(c);
      return { backend: c as BackendInfo['backend'], skipped: [] };
    };
    const result = await withBackendFallback(
      select,
      'wasm',
      async (b, retry) => {
        retries.push(retry);
        if (b.backend === 'wasm') throw new KernelMissingError('Conv2DBackpropFilter', 'wasm');
        return b;
      },
      (e) => events.push(e),
    );
    expect(selected).toEqual(['wasm', 'cpu']);
    expect(result.backend).toBe('cpu');
    // The restart is told it is one, so the lab replaces the failed attempt's files in the run folder.
    expect(retries).toEqual([false, true]);
    expect(result.skipped).toEqual([{ backend: 'wasm', reason: expect.stringMatching(/Conv2DBackpropFilter/) }]);
    expect(events).toEqual([{ type: 'log', level: 'warn', message: expect.stringMatching(/no 'Conv2DBackpropFilter' kernel.*starting again on the cpu backend/) }]);
  });

  it("follows auto's ranking: WASM, then a software WebGPU adapter, then CPU", async () => {
    const selected: string[] = [];
    const select = async (c: string): Promise<BackendInfo> => {
      selected.push(c);
      if (c === 'auto')
        return {
          backend: 'wasm',
          ranking: ['wasm', 'webgpu', 'cpu'],
          skipped: [{ backend: 'webgpu', reason: 'software adapter (SwiftShader) is slower than WASM on this machine' }],
        };
      return { backend: c as BackendInfo['backend'], skipped: [] };
    };
    const result = await withBackendFallback(select, 'auto', async (b) => {
      if (b.backend !== 'cpu') throw new KernelMissingError('Conv2DBackpropFilter', b.backend);
      return b;
    });
    expect(selected).toEqual(['auto', 'webgpu', 'cpu']);
    expect(result.skipped.map((s) => s.backend)).toEqual(['wasm', 'webgpu']);
    // Without WebGPU at all, auto's ranking has no webgpu to go back to.
    selected.length = 0;
    const noGpu = async (c: string): Promise<BackendInfo> => {
      selected.push(c);
      return c === 'auto'
        ? { backend: 'wasm', ranking: ['wasm', 'cpu'], skipped: [{ backend: 'webgpu', reason: 'navigator.gpu is missing' }] }
        : { backend: c as BackendInfo['backend'], skipped: [] };
    };
    await withBackendFallback(noGpu, 'auto', async (b) => {
      if (b.backend === 'wasm') throw new KernelMissingError('Conv2DBackpropFilter', 'wasm');
      return b;
    });
    expect(selected).toEqual(['auto', 'cpu']);
  });

  it('gives up with the error when no backend is left', async () => {
    await expect(
      withBackendFallback(
        async () => ({ backend: 'cpu', skipped: [] }),
        'cpu',
        async () => {
          throw new KernelMissingError('X', 'cpu');
        },
      ),
    ).rejects.toThrow(/no 'X' kernel/);
  });
});
