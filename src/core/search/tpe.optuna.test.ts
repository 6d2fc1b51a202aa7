/**
 * TPE's Parzen estimators against Optuna's own (fixtures/optuna-parzen.json, written by
 * fixtures/optuna-parzen.py with Optuna 5.0): numeric log densities on a grid of points and
 * categorical probabilities, for 0 to 40 observations (past 25 the weights ramp), ties and
 * several prior weights; and the joint (multivariate) density over two ranges and a choice.
 */
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/optuna-parzen.json';
import { categoricalProbs, mixture, mixtureLogPdf, parzen, parzenLogPdf } from './parzen';

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

  it.each(fixture.joint.map((c, i) => [i, c] as const))('joint case %i (x, y and a choice, multivariate): the same log density', (_i, c) => {
    const m = mixture(
      [
        { kind: 'numeric', lo: -5, hi: 5, values: c.obs.x },
        { kind: 'numeric', lo: 0, hi: 3, values: c.obs.y },
        { kind: 'categorical', choices: c.choices, indices: c.obs.c },
      ],
      c.obs.x.length,
      c.priorWeight,
    );
    c.at.forEach((x, k) => expect(mixtureLogPdf(m, x)).toBeCloseTo(c.logPdf[k], 5));
  });
});
