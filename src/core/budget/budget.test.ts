import { describe, expect, it } from 'vitest';
import type { CheckpointSink } from '../models/estimator';
import { memoryStore } from '../storage/memory';
import { budgetLeft } from './check';
import { durationFlag, formatSeconds, parseDuration } from './duration';
import { addSpan, readLedger, recordSpan, spanByDay, usageAt, weekStart, type Ledger } from './ledger';
import { runWatch } from './run-watch';

const H = 3_600_000;
// Sunday 29 November 2026, 23:30 UTC.
const SUNDAY_LATE = Date.UTC(2026, 10, 29, 23, 30);

describe('durations', () => {
  it('reads seconds, minutes, hours and days, bare numbers as minutes, off as no limit, and refuses the rest', () => {
    expect(parseDuration('90s', 'x')).toBe(1.5);
    expect(parseDuration('30m', 'x')).toBe(30);
    expect(parseDuration('1h30m', 'x')).toBe(90);
    expect(parseDuration('1.5h', 'x')).toBe(90);
    expect(parseDuration('2d', 'x')).toBe(2880);
    expect(parseDuration('45', 'x')).toBe(45);
    expect(parseDuration('off', 'x')).toBeUndefined();
    expect(() => parseDuration('2 hours', '--per-day')).toThrow(/--per-day "2 hours" is not a duration/);
    expect(() => parseDuration('h', '--per-day')).toThrow(/not a duration/);
    expect([formatSeconds(45), formatSeconds(720), formatSeconds(7500), formatSeconds(3 * 86400 + 4 * 3600)]).toEqual(['45s', '12m', '2h 5m', '3d 4h']);
    expect([durationFlag(0.25), durationFlag(30), durationFlag(120), durationFlag(90)]).toEqual(['15s', '30m', '2h', '1h30m']);
  });
});

describe('usage ledger', () => {
  it('books a span to the UTC days it falls in; weeks start on Monday, UTC', () => {
    expect(spanByDay(SUNDAY_LATE, SUNDAY_LATE + H)).toEqual([
      ['2026-11-29', 1800],
      ['2026-11-30', 1800],
    ]);
    expect(new Date(weekStart(SUNDAY_LATE)).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(weekStart(SUNDAY_LATE + H)).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    const l: Ledger = { days: {} };
    addSpan(l, 'a', SUNDAY_LATE, SUNDAY_LATE + H);
    addSpan(l, 'b', SUNDAY_LATE + 2 * H, SUNDAY_LATE + 2.5 * H);
    const monday = usageAt(l, SUNDAY_LATE + 3 * H, 'a');
    expect(monday).toEqual({
      todaySeconds: 3600,
      weekSeconds: 3600,
      runSeconds: 3600,
      history: [
        { day: '2026-11-29', seconds: 1800 },
        { day: '2026-11-30', seconds: 3600 },
      ],
    });
    // Sunday's half hour counts for last week only.
    expect(usageAt(l, SUNDAY_LATE).weekSeconds).toBe(1800);
    // Days past the kept window are dropped when the ledger is next written.
    addSpan(l, 'c', SUNDAY_LATE + 100 * 24 * H, SUNDAY_LATE + 100 * 24 * H + 1000);
    expect(Object.keys(l.days)).toEqual(['2027-03-09']);
  });

  it('writers sharing a store add up under its lock instead of overwriting each other', async () => {
    const store = memoryStore();
    await Promise.all(Array.from({ length: 8 }, (_, i) => recordSpan(store, `r${i % 2}`, SUNDAY_LATE - 60_000, SUNDAY_LATE)));
    expect((await readLedger(store)).days['2026-11-29']).toEqual({ r0: 240, r1: 240 });
  });

  it('the tightest budget binds, with what was used against it', () => {
    const l: Ledger = { days: { '2026-11-30': { a: 600, b: 3000 } } };
    const now = SUNDAY_LATE + 2 * H;
    expect(budgetLeft({}, l, now, 'a')).toEqual({});
    expect(budgetLeft({ perRunMinutes: 30, perDayMinutes: 65 }, l, now, 'a')).toEqual({ seconds: 300, binding: { name: 'per-day', limitMinutes: 65, usedSeconds: 3600 } });
    expect(budgetLeft({ perRunMinutes: 15, perDayMinutes: 65 }, l, now, 'a')).toEqual({ seconds: 300, binding: { name: 'per-run', limitMinutes: 15, usedSeconds: 600 } });
  });
});

/** A training loop as the watch sees it: reads everySteps after each step, checkpoints on it, stops when aborted. */
async function loop(sink: CheckpointSink, signal: AbortSignal, clock: { t: number }, steps: number): Promise<{ saved: number[]; ran: number }> {
  const saved: number[] = [];
  let step = 0;
  while (step < steps && !signal.aborted) {
    clock.t += 1000;
    step++;
    const every = sink.everySteps;
    if (every && step % every === 0) {
      await sink.save('latest', { kind: 'x', meta: {}, tensors: {} }, { step, epoch: 1 });
      saved.push(step);
    }
  }
  return { saved, ran: step };
}

describe('the run watch', () => {
  const sink = (): CheckpointSink => ({ everySteps: 100, save: async () => undefined });

  it('leaves the interval alone without budgets, and books the time', async () => {
    const store = memoryStore();
    const clock = { t: SUNDAY_LATE - H };
    const watch = runWatch({ store, runId: 'r', ledgerKey: async () => 'r@t0', priorRunSeconds: 0, budgets: () => ({}), ledger: { days: {} }, now: () => clock.t });
    const { checkpoints, signal } = watch.start(sink());
    expect(await loop(checkpoints, signal, clock, 250)).toEqual({ saved: [100, 200], ran: 250 });
    await watch.end();
    expect(watch.stopped()).toBeUndefined();
    expect((await readLedger(store)).days['2026-11-29']).toEqual({ 'r@t0': 250 });
  });

  it('checkpoints more often as the budget runs low, then saves at the step it runs out and stops the fit', async () => {
    const store = memoryStore();
    const clock = { t: SUNDAY_LATE - H };
    const ledger: Ledger = { days: { '2026-11-29': { earlier: 60 * 60 } } };
    const watch = runWatch({ store, runId: 'r', ledgerKey: async () => 'r@t0', priorRunSeconds: 0, budgets: () => ({ perDayMinutes: 61 }), ledger, now: () => clock.t });
    const { checkpoints, signal } = watch.start(sink());
    const { saved, ran } = await loop(checkpoints, signal, clock, 500);
    // 60 s of budget left and a checkpoint every 100 steps of 1 s: two checkpoints within what remains, more towards the end, the last where it ran out.
    expect(saved.at(-1)).toBe(60);
    expect(saved.filter((s) => s < 60).length).toBeGreaterThanOrEqual(3);
    expect(ran).toBe(60);
    expect(signal.aborted).toBe(true);
    expect(watch.stopped()?.message).toMatch(
      /^Stopped: the per-day compute budget \(1h1m; 1h 1m used today \(UTC\)\) ran out\. The run is saved at step 60 \(epoch 1\); it resumes with `agnews train --resume r` .* once the budget renews at 00:00 UTC, or now after raising it: `agnews budget --per-day 2h2m`/,
    );
    await watch.end();
    expect((await readLedger(store)).days['2026-11-29']).toEqual({ 'r@t0': 60 });
  });

  it("counts a resumed run's earlier stretches against its per-run budget", async () => {
    const clock = { t: SUNDAY_LATE - H };
    const watch = runWatch({
      store: memoryStore(),
      runId: 'r',
      ledgerKey: async () => 'r@t0',
      priorRunSeconds: 90,
      budgets: () => ({ perRunMinutes: 2 }),
      ledger: { days: {} },
      now: () => clock.t,
    });
    const { checkpoints, signal } = watch.start(sink());
    expect((await loop(checkpoints, signal, clock, 500)).ran).toBe(30);
    expect(watch.stopped()?.message).toMatch(/^Stopped: the per-run compute budget \(2m; 2m used by this run\)/);
    await watch.end();
  });

  it('a budget raised while the run trains (the page) lets it go on', async () => {
    const clock = { t: SUNDAY_LATE - H };
    const start = clock.t;
    const ledger: Ledger = { days: { '2026-11-29': { earlier: 60 * 60 } } };
    const budgets = () => ({ perDayMinutes: clock.t - start > 30_000 ? 120 : 61 });
    const watch = runWatch({ store: memoryStore(), runId: 'r', ledgerKey: async () => 'r@t0', priorRunSeconds: 0, budgets, ledger, now: () => clock.t });
    const { checkpoints, signal } = watch.start(sink());
    expect((await loop(checkpoints, signal, clock, 500)).ran).toBe(500);
    expect(watch.stopped()).toBeUndefined();
    await watch.end();
  });

  it('a cancel from the user still cancels, and is no budget stop', async () => {
    const clock = { t: SUNDAY_LATE - H };
    const watch = runWatch({
      store: memoryStore(),
      runId: 'r',
      ledgerKey: async () => 'r@t0',
      priorRunSeconds: 0,
      budgets: () => ({ perRunMinutes: 10 }),
      ledger: { days: {} },
      now: () => clock.t,
    });
    const user = new AbortController();
    const { signal } = watch.start(sink(), user.signal);
    user.abort();
    expect(signal.aborted).toBe(true);
    expect(watch.stopped()).toBeUndefined();
    await watch.end();
  });
});
