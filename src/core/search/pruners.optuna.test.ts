/**
 * Our pruners against Optuna's own decisions (fixtures/optuna-pruners.json, written by
 * fixtures/optuna-pruners.py with Optuna 5.0): seeded sequential studies, each trial reporting its
 * curve step by step and stopping where the pruner says. Every trial must stop at the same step.
 */
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/optuna-pruners.json';
import { halvingPruner, medianPruner } from './pruners';
import type { Pruner, Trial } from './trial';

interface Scenario {
  pruner: 'median' | 'halving';
  nStartup?: number;
  nWarmup?: number;
  minResource?: number;
  eta?: number;
  curves: number[][];
  prunedAt: (number | null)[];
}

/** Trials one after another, as the Python script runs them; the step each was pruned at. */
function replay(pruner: Pruner, curves: number[][]): (number | null)[] {
  const history: Trial[] = [];
  return curves.map((curve, number) => {
    const trial: Trial = { number, params: {}, state: 'running', intermediate: [], seconds: 0 };
    history.push(trial);
    for (let i = 0; i < curve.length; i++) {
      trial.intermediate.push({ step: i + 1, value: curve[i] });
      if (pruner.shouldPrune(trial, i + 1, history)) {
        trial.state = 'pruned';
        return i + 1;
      }
    }
    trial.state = 'complete';
    trial.value = curve.at(-1);
    return null;
  });
}

const scenarios = fixture.scenarios as Scenario[];

describe(`pruners against Optuna ${fixture.optuna}`, () => {
  it('the fixture prunes often enough to mean something', () => {
    const all = scenarios.flatMap((s) => s.prunedAt);
    expect(all.filter((p) => p !== null).length).toBeGreaterThan(all.length / 4);
    expect(all.filter((p) => p === null).length).toBeGreaterThan(all.length / 10);
  });

  it.each(scenarios.map((s, i) => [i, s] as const))('scenario %i stops each trial where Optuna does', (_i, s) => {
    const pruner = s.pruner === 'median' ? medianPruner({ nStartup: s.nStartup, nWarmup: s.nWarmup }) : halvingPruner({ minResource: s.minResource, eta: s.eta });
    expect(replay(pruner, s.curves)).toEqual(s.prunedAt);
  });
});
