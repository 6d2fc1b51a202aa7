import { describe, expect, it } from 'vitest';
import { formatDuration, Reporter } from './reporter';

const step = (n: number) => ({ type: 'step' as const, step: n, totalSteps: 100, epoch: n <= 50 ? 1 : 2, totalEpochs: 2, loss: 1 / n, accuracy: 0.5, lr: 0.1, examplesPerSec: 320 });

describe('Reporter without a terminal', () => {
  it('prints plain progress lines at a steady interval with step, epoch, speed and an ETA that moves', () => {
    let t = 0;
    const out: string[] = [];
    const r = new Reporter(false, { plain: true, everyMs: 10_000, now: () => t, write: (s) => out.push(s) });
    r.onEvent({ type: 'phase', phase: 'Training', done: 0, total: 1 });
    // One step a second: a line every ten steps, not one per step.
    for (let n = 1; n <= 60; n++) {
      t = n * 1000;
      r.onEvent(step(n));
    }
    const lines = out.filter((l) => l.startsWith('progress:'));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('progress: Training | step 1 of 100 (1%) | epoch 1 of 2 | 320 examples/s | loss 1.0000 | ETA measuring\n');
    expect(lines[1]).toContain('step 11 of 100 (11%) | epoch 1 of 2');
    expect(lines[1]).toContain('ETA 1m29s');
    expect(lines[5]).toContain('step 51 of 100 (51%) | epoch 2 of 2');
    expect(lines[5]).toContain('ETA 49s');
  });

  it('formats durations', () => {
    expect([formatDuration(5), formatDuration(65), formatDuration(3725)]).toEqual(['5s', '1m05s', '1h02m']);
  });
});
