import { describe, expect, it } from 'vitest';
import type { ResultsRow } from './results-table';
import { seedStudy } from './seed-study';

function row(configName: string, seed: number, accuracy: number): ResultsRow {
  return {
    run: `${configName}-${seed}`,
    model: configName,
    family: 'classical',
    seeds: [seed],
    configName,
    configHash: `${configName}-${seed}`,
    experimentHash: configName,
    backend: 'cpu',
    createdAt: '2026-01-01T00:00:00Z',
    validation: { accuracy, macroF1: accuracy },
    evals: {},
    efficiency: { parameters: 1, modelBytes: 1, trainSeconds: 1, totalSeconds: 1 },
  };
}

describe('seedStudy', () => {
  it('tests each configuration against the first over shared seeds, Bonferroni-adjusted', () => {
    const rows = [
      ...[0.8, 0.82, 0.81].map((a, i) => row('A', i + 1, a)),
      ...[0.85, 0.86, 0.84].map((a, i) => row('B', i + 1, a)),
      ...[0.8, 0.83, 0.8].map((a, i) => row('C', i + 1, a)),
    ];
    const s = seedStudy(rows);
    expect(s.baseline).toBe('A');
    expect(s.groups.map((g) => [g.model, g.metrics['validation.accuracy'].mean])).toEqual([
      ['A', expect.closeTo(0.81, 12)],
      ['B', expect.closeTo(0.85, 12)],
      ['C', expect.closeTo(0.81, 12)],
    ]);
    const [b, c] = s.tests;
    // B - A = [0.05, 0.04, 0.03]: mean 0.04, sd 0.01, t = 0.04 / (0.01 / sqrt 3) = 6.9282, df 2.
    expect(b.configName).toBe('B');
    expect(b.t).toBeCloseTo(6.9282, 3);
    // Two-sided p for t = 6.9282 with 2 df is 1 - t/sqrt(t^2 + 2) = 0.020204.
    expect(b.pValue).toBeCloseTo(0.020204, 5);
    expect(b.adjustedP).toBeCloseTo(0.040408, 5);
    expect(b.significant).toBe(true);
    // C - A = [0, 0.01, -0.01]: no difference at all.
    expect(c).toMatchObject({ configName: 'C', pValue: 1, adjustedP: 1, significant: false });
  });

  it('tests nothing with fewer than two multi-seed configurations', () => {
    const s = seedStudy([row('A', 1, 0.8), row('A', 2, 0.81), row('B', 1, 0.9)]);
    expect(s.tests).toEqual([]);
    expect(s.groups).toHaveLength(2);
  });
});
