import { describe, expect, it } from 'vitest';
import { noisyAgNewsFiles } from '../../../test/noisy-agnews';
import type { LabEvent } from '../lab/api';
import { createLab } from '../lab/lab';
import { RunFolder } from '../runs/run-folder';
import { memoryStore } from '../storage/memory';

const TOY = { override: { reason: 'unit test on a toy dataset' } };
/** Checkpoints far apart: the checkpoint a stopped run resumes from is the one the budget asked for. */
const CONFIG = {
  name: 'budgeted',
  seed: 3,
  model: { type: 'fasttext', dim: 8, buckets: 64, train: { epochs: 4, batchSize: 16, logEvery: 1, checkpointEvery: 1000 } },
  guard: TOY,
};
const NOON = Date.UTC(2026, 10, 30, 12);

/** A lab on a memory store and the CPU backend whose clock the test moves: one second per logged step. */
function setup(store = memoryStore()) {
  const clock = { t: NOON };
  const lab = createLab({ store, selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [], clock: () => clock.t });
  const events: LabEvent[] = [];
  const ticking = (e: LabEvent) => {
    events.push(e);
    if (e.type === 'step') clock.t += 1000;
  };
  return { lab, store, clock, events, ticking };
}

describe('compute budgets on runs (CPU backend)', () => {
  it('a run stopped by its per-run budget is interrupted with a checkpoint, refused until raised, and resumes to the weights of an uninterrupted run', async () => {
    const { lab, store, events, ticking } = setup();
    const meta = await lab.importDataset({ kind: 'agnews', files: noisyAgNewsFiles(400, { test: 40, seed: 7 }) });
    await lab.train({ datasetId: meta.id, config: CONFIG, runId: 'whole' }, () => {});

    await lab.setBudgets({ perRunMinutes: 0.25 });
    const stopped = lab.train({ datasetId: meta.id, config: CONFIG, runId: 'cut' }, ticking);
    await expect(stopped).rejects.toThrow(
      /Stopped: the per-run compute budget \(15s; 15s used by this run\) ran out\. The run is saved at step 15 \(epoch 1\); raise the budget with `agnews budget --per-run 30s` \(the page: Quota → Budgets\) and resume it with `agnews train --resume cut`/,
    );
    // Before it started: what the budget leaves, against the lab's own estimate of the run.
    const { seconds } = await lab.estimate({ datasetId: meta.id, config: CONFIG, backend: 'cpu' });
    expect(events.find((e) => e.type === 'log')).toEqual(
      seconds > 15
        ? {
            type: 'log',
            level: 'warn',
            message: expect.stringMatching(/^This run is estimated at .*, more than the 15s left under the per-run compute budget .*: it will stop with a checkpoint/),
          }
        : { type: 'log', level: 'info', message: expect.stringMatching(/^Compute budget: 15s left for this run under the per-run compute budget .*; estimated /) },
    );
    // Stopped at the step the budget ran out, not at the next regular checkpoint (every 1000 steps).
    expect(Math.max(...events.map((e) => (e.type === 'step' ? e.step : 0)))).toBe(15);
    const cut = RunFolder.inStore(store, 'cut');
    expect((await cut.meta())?.status).toBe('interrupted');
    expect((await cut.meta())?.error?.name).toBe('BudgetError');
    expect((await lab.listRuns()).find((r) => r.runId === 'cut')).toMatchObject({ status: 'interrupted', resumable: true });

    // No time left: resume is refused before anything changes.
    const before = await cut.metrics();
    await expect(lab.resume('cut', () => {})).rejects.toThrow(/Run cut cannot resume: the per-run compute budget .* is used up.*agnews budget --per-run/);
    expect(await cut.metrics()).toEqual(before);
    expect((await cut.meta())?.status).toBe('interrupted');

    await lab.setBudgets({ perRunMinutes: 60 });
    await lab.resume('cut', () => {});
    const whole = (await RunFolder.inStore(store, 'whole').loadModel()).tensors;
    const resumed = (await cut.loadModel()).tensors;
    for (const k of Object.keys(whole)) expect(Array.from(resumed[k].data), k).toEqual(Array.from(whole[k].data));

    const status = await lab.budgets();
    expect(status.usedTodaySeconds).toBe(15);
    expect(status.history).toEqual([{ day: '2026-11-30', seconds: 15 }]);
    // A new run gets the whole per-run budget; only the run that used it has less.
    expect(status.leftSeconds).toBe(3600);
  }, 120_000);

  it('a day with its budget spent refuses a new run before writing anything; the next UTC day allows it', async () => {
    const { lab, clock, ticking } = setup();
    const meta = await lab.importDataset({ kind: 'agnews', files: noisyAgNewsFiles(400, { test: 40, seed: 7 }) });
    await lab.setBudgets({ perDayMinutes: 0.1 });
    await expect(lab.train({ datasetId: meta.id, config: CONFIG, runId: 'a' }, ticking)).rejects.toThrow(
      /per-day compute budget .* ran out.*once the budget renews at 00:00 UTC, or now after raising it: `agnews budget --per-day 12s`/,
    );
    await expect(lab.train({ datasetId: meta.id, config: CONFIG, runId: 'b' }, ticking)).rejects.toThrow(
      /Not starting: the per-day compute budget \(6s; 6s used today \(UTC\)\) is used up until it renews at 00:00 UTC\. Raise it with `agnews budget --per-day 12s` .* or wait; nothing was written\./,
    );
    expect((await lab.listRuns()).map((r) => r.runId)).toEqual(['a']);
    clock.t += 86_400_000;
    expect((await lab.budgets()).leftSeconds).toBe(6);
  }, 120_000);

  it('budgets persist in the store across lab instances; bad input is refused and changes nothing', async () => {
    const store = memoryStore();
    const first = setup(store).lab;
    await first.setBudgets({ perRunMinutes: 30, perDayMinutes: 120, perWeekMinutes: 600 });
    await expect(first.setBudgets({ perDayMinutes: -5 })).rejects.toThrow(/perDayMinutes must be a positive number of minutes/);
    await expect(first.setBudgets({ perMonthMinutes: 5 } as never)).rejects.toThrow(/Unknown budget "perMonthMinutes"/);
    const second = setup(store).lab;
    expect((await second.budgets()).budgets).toEqual({ perRunMinutes: 30, perDayMinutes: 120, perWeekMinutes: 600 });
    expect((await second.setBudgets({ perDayMinutes: 60 })).budgets).toEqual({ perDayMinutes: 60 });
    expect((await setup(store).lab.budgets()).leftSeconds).toBe(3600);
  });
});
