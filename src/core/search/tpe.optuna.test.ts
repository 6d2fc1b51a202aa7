/**
 * TPE's Parzen estimators against Optuna's own (fixtures/optuna-parzen.json, written by
 * fixtures/optuna-parzen.py with Optuna 5.0): numeric log densities on a grid of points and
 * categorical probabilities, for 0 to 40 observations (past 25 the weights ramp), ties and
 * several prior weights.
 */
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/optuna-parzen.json';
import { categoricalProbs, parzen, parzenLogPdf } from './tpe';

describe(`Parzen estimators against Optuna ${fixture.optuna}`, () => {
  it.each(fixture.numeric.map((c, i) => [i, c] as const))('numeric case %i: the same log density everywhere', (_i, c) => {
    const p = parzen(c.xs, c.low, c.high, c.priorWeight);
    // Our erf (Abramowitz & Stegun 7.1.26, error < 1.5e-7) bounds the agreement of the truncation masses.
    c.at.forEach((x, k) => expect(parzenLogPdf(p, x)).toBeCloseTo(c.logPdf[k], 5));
  });

  it.each(fixture.categorical.map((c, i) => [i, c] as const))('categorical case %i: the same probabilities', (_i, c) => {
    const probs = categoricalProbs(c.choices, c.xs, c.priorWeight);
    probs.forEach((p, k) => expect(p).toBeCloseTo(c.probs[k], 12));
  });
});
