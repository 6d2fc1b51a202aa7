import { describe, expect, it } from 'vitest';
import { halvingPruner, medianPruner } from './pruners';
import { randomSampler } from './random';
import { runSearch, TrialPruned } from './runner';
import { parseSpace } from './space';
import type { Trial } from './trial';

/** A finished trial with one value per step (step 1 first). */
const done = (number: number, values: number[], state: Trial['state'] = 'complete'): Trial => ({
  number,
  params: {},
  state,
  value: values.at(-1),
  intermediate: values.map((value, i) => ({ step: i + 1, value })),
  seconds: 0,
});
/** The running trial, having reported `values` so far. */
const running = (number: number, values: number[]): Trial => ({ ...done(number, values), state: 'running', value: undefined });

describe('median pruner (Optuna MedianPruner semantics, maximising)', () => {
  const history = [done(0, [0.5, 0.6, 0.7]), done(1, [0.6, 0.7, 0.8]), done(2, [0.4, 0.5, 0.9])];

  it('prunes when the best value so far is below the median of completed trials at that step', () => {
    const p = medianPruner({ nStartup: 3 });
    // Step 1: median of 0.5, 0.6, 0.4 is 0.5.
    expect(p.shouldPrune(running(3, [0.45]), 1, history)).toBe(true);
    expect(p.shouldPrune(running(3, [0.5]), 1, history)).toBe(false);
    // Step 2: median 0.6; the trial's best so far (0.65 at step 1) counts, not its latest.
    expect(p.shouldPrune(running(3, [0.65, 0.55]), 2, history)).toBe(false);
    expect(p.shouldPrune(running(3, [0.5, 0.55]), 2, history)).toBe(true);
    // An even count averages the middle two: step 3 of four trials (0.7, 0.75, 0.8, 0.9), median 0.775.
    const four = [...history, done(4, [0.1, 0.1, 0.75])];
    expect(p.shouldPrune(running(5, [0.3, 0.3, 0.78]), 3, four)).toBe(false);
    expect(p.shouldPrune(running(5, [0.3, 0.3, 0.77]), 3, four)).toBe(true);
  });

  it('waits for nStartup completed trials and nWarmup steps; pruned and running trials are not counted', () => {
    expect(medianPruner({ nStartup: 4 }).shouldPrune(running(3, [0.1]), 1, history)).toBe(false);
    expect(medianPruner({ nStartup: 4 }).shouldPrune(running(4, [0.1]), 1, [...history, done(3, [0.9], 'pruned'), running(5, [0.9])])).toBe(false);
    expect(medianPruner({ nStartup: 3, nWarmup: 2 }).shouldPrune(running(3, [0.1]), 1, history)).toBe(false);
    expect(medianPruner({ nStartup: 3, nWarmup: 2 }).shouldPrune(running(3, [0.1, 0.1]), 2, history)).toBe(true);
    // No completed trial reported at this step: no decision.
    expect(medianPruner({ nStartup: 3 }).shouldPrune(running(3, [0, 0, 0, 0]), 4, history)).toBe(false);
    expect(medianPruner({ nStartup: 3 }).shouldPrune(running(3, [NaN]), 1, history)).toBe(true);
  });
});

describe('successive halving pruner (asynchronous, eta 3, minResource 1)', () => {
  const p = halvingPruner({ minResource: 1, eta: 3 });

  it('keeps the first trials at a rung only if they are the best so far, then the top third', () => {
    // Rung 0 (step 1): the first trial has nobody to compete with.
    expect(p.shouldPrune(running(0, [0.5]), 1, [running(0, [0.5])])).toBe(false);
    // With 2 at the rung (fewer than eta) only the best goes on.
    expect(p.shouldPrune(running(1, [0.4]), 1, [done(0, [0.5])])).toBe(true);
    expect(p.shouldPrune(running(1, [0.6]), 1, [done(0, [0.5])])).toBe(false);
    // Six at the rung: the top 6/3 = 2 go on; the second best (0.7) does, the third (0.6) does not.
    const five = [done(0, [0.5]), done(1, [0.8]), done(2, [0.3]), done(3, [0.6], 'pruned'), done(4, [0.2], 'pruned')];
    expect(p.shouldPrune(running(5, [0.7]), 1, five)).toBe(false);
    expect(p.shouldPrune(running(5, [0.55]), 1, five)).toBe(true);
  });

  it('decides only at rung steps (1, 3, 9) and by the value at the rung', () => {
    const h = [done(0, [0.5, 0.6, 0.7, 0.8]), done(1, [0.4, 0.5, 0.9, 0.9])];
    // Step 2 is no rung: never pruned there, however bad.
    expect(p.shouldPrune(running(2, [0.9, 0.0]), 2, h)).toBe(false);
    // Step 3 (rung 1): three at the rung (0.7, 0.9 and this one), fewer than eta, so only the best goes on.
    expect(p.shouldPrune(running(2, [0.9, 0.0, 0.8]), 3, h)).toBe(true);
    expect(p.shouldPrune(running(2, [0.9, 0.0, 0.95]), 3, h)).toBe(false);
  });
});

describe('pruning inside the search loop', () => {
  it('stops trials the median pruner rejects, records them as pruned, and never picks one as best', async () => {
    const dims = parseSpace({ q: { low: 0, high: 1 } });
    const r = await runSearch(
      async (params, trial) => {
        // Learning curves that rise to the trial's quality q over 5 steps.
        const q = params.q as number;
        for (let step = 1; step <= 5; step++) if (trial.report(step, (q * step) / 5)) throw new TrialPruned(step);
        return q;
      },
      { dims, sampler: randomSampler, pruner: medianPruner({ nStartup: 3 }), trials: 20, seed: 4 },
    );
    const pruned = r.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(3);
    for (const t of pruned) {
      expect(t.intermediate.length).toBeLessThan(5);
      expect(t.reason).toMatch(/median pruner at step \d/);
    }
    expect(r.trials.slice(0, 3).every((t) => t.state === 'complete')).toBe(true);
    expect(r.best.state).toBe('complete');
    expect(r.best.value).toBe(Math.max(...r.trials.filter((t) => t.state === 'complete').map((t) => t.value!)));
  });

  it('is cancelled by its signal, and reports progress with totals', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const dims = parseSpace({ q: { low: 0, high: 1 } });
    await expect(
      runSearch(
        async (p) => {
          if (seen.length >= 2) controller.abort();
          return p.q as number;
        },
        {
          dims,
          sampler: randomSampler,
          pruner: medianPruner(),
          trials: 10,
          seed: 1,
          signal: controller.signal,
          onTrial: (p) => {
            if (p.trial.state !== 'running') seen.push(p.done);
            expect(p.total).toBe(10);
          },
        },
      ),
    ).rejects.toThrow(/cancel/i);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('a time limit stops starting trials', async () => {
    let clock = 0;
    const dims = parseSpace({ q: { low: 0, high: 1 } });
    const r = await runSearch(
      async (p) => {
        clock += 10;
        return p.q as number;
      },
      { dims, sampler: randomSampler, pruner: medianPruner(), trials: 10, seed: 1, timeoutSeconds: 25, now: () => clock },
    );
    expect(r.trials).toHaveLength(3);
    expect(r.stopped).toMatch(/time limit of 25 s was reached after 3 trials/);
  });
});
