import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ensembleSpec } from './spec';
import { EnsembleEstimator } from './ensemble-estimator';
import { CascadeEstimator } from './cascade-estimator';
import { parseEnsembleConfig } from './config';

describe('ensemble spec', () => {
  it('parses {type, method, select?, calibrate?, members} with defaults, and refuses bad ones', () => {
    const cfg = parseEnsembleConfig({ type: 'ensemble', method: 'stacking', members: ['r1', 'r2'], select: { size: 2 }, calibrate: 'platt' });
    expect(cfg).toMatchObject({ folds: 5, blendFitShare: 0.5, C: 1, select: { size: 2, iterations: 50, metric: 'logloss' } });
    expect(() => parseEnsembleConfig({ type: 'ensemble', method: 'median', members: ['r1', 'r2'] })).toThrow();
    expect(() => parseEnsembleConfig({ type: 'ensemble', method: 'soft', members: ['r1'] })).toThrow();
    expect(() => parseEnsembleConfig({ type: 'ensemble', method: 'soft', members: ['r1', 'r2'], calibrate: 'sigmoid' })).toThrow();
    expect(() => parseEnsembleConfig({ type: 'ensemble', method: 'soft', members: ['r1', 'r2'], weights: [1, 2] })).toThrow();
  });

  it('declares the family, capabilities and estimates of the combiner alone', () => {
    expect(ensembleSpec.family).toBe('ensemble');
    expect(ensembleSpec.types).toEqual(['ensemble', 'cascade']);
    expect(ensembleSpec.capabilities).toMatchObject({ explain: true, calibration: true, softTargets: false, gridSearch: false });
    const soft = parseEnsembleConfig({ type: 'ensemble', method: 'weighted', members: ['a', 'b', 'c'] });
    expect(ensembleSpec.estimate(soft, { train: 1000, classes: 4 })).toMatchObject({ count: 3, exact: true });
    // Stacking: 3 members x 4 classes features into 4 classes, plus 4 intercepts; temperature adds 1.
    const st = parseEnsembleConfig({ type: 'ensemble', method: 'stacking', members: ['a', 'b', 'c'], calibrate: 'temperature' });
    expect(ensembleSpec.estimate(st, { train: 1000, classes: 4 }).count).toBe(3 * 4 * 4 + 4 + 1);
    expect(ensembleSpec.trainsOn(st)).toBe('plain');
    const e = ensembleSpec.create(st);
    expect(e).toBeInstanceOf(EnsembleEstimator);
    expect((e as EnsembleEstimator).memberNames).toEqual(['a', 'b', 'c']);
  });

  it('joins a discriminated union on type as the registry builds it, with cascades beside ensembles', () => {
    const union = z.discriminatedUnion('type', ensembleSpec.schemas as [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]) as unknown as z.ZodType<
      Parameters<typeof ensembleSpec.create>[0]
    >;
    const cas = union.parse({ type: 'cascade', members: ['cheap', 'strong'], secondsPer1000: [0.1, 2] });
    expect(cas).toMatchObject({ target: { keepAccuracy: 0.995 } });
    expect(union.parse({ type: 'ensemble', method: 'soft', members: ['a', 'b'] })).toMatchObject({ method: 'soft' });
    expect(() => union.parse({ type: 'cascade', members: ['cheap', 'strong'], secondsPer1000: [0.1] })).toThrow(/one cost per member/);
    expect(() => union.parse({ type: 'cascade', members: ['a', 'b'], secondsPer1000: [1, 2], target: { keepAccuracy: 0.9, maxEscalation: 0.3 } })).toThrow();
    expect(ensembleSpec.create(cas)).toBeInstanceOf(CascadeEstimator);
    expect(ensembleSpec.estimate(cas, { train: 10, classes: 4 })).toMatchObject({ count: 1, exact: true });
  });
});
