import { describe, expect, it } from 'vitest';
import { flattenArtifact, unflattenArtifact } from '../artifact-nesting';
import { argmax, TOY_CLASSES, toyExamples } from '../classical/fixtures';
import { createClassical } from '../classical/spec';
import { loadEstimator, predictsWithTensors } from '../registry';
import { CalibratedEstimator } from './calibrated-estimator';
import { fitTemperature } from './temperature';

const train = toyExamples(12);
const validation = toyExamples(6, 12);
const texts = toyExamples(4, 30).map((e) => e.text);
const K = TOY_CLASSES.length;
const logs = (P: Float32Array[]) => Float64Array.from(P.flatMap((p) => Array.from(p, (x) => Math.log(Math.max(x, 1e-12)))));

describe('CalibratedEstimator (any estimator, calibrated on validation)', () => {
  it('temperature: softmax(log p / T) with T fitted on the validation log-probabilities, same arg-max', async () => {
    const cal = new CalibratedEstimator(createClassical('tfidf-nb', { alpha: 0.5 }), 'temperature');
    await cal.fit(train, { classes: TOY_CLASSES, seed: 1, validation });
    const T = fitTemperature(
      logs(await cal.base.predictProba(validation.map((e) => e.text))),
      validation.map((e) => e.label),
      K,
    );
    const before = await cal.base.predictProba(texts);
    const after = await cal.predictProba(texts);
    after.forEach((p, i) => {
      const z = Array.from(before[i], (x) => Math.log(x) / T);
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((v, k) => expect(p[k]).toBeCloseTo(v / sum, 5));
      expect(argmax(p)).toBe(argmax(before[i]));
    });
    expect((await cal.uncalibratedProba(texts)).probs).toEqual(before);
    expect(cal.parameterCount()).toBe(cal.base.parameterCount() + 1);
  });

  it('sigmoid and isotonic rows sum to one; the wrapper saves its model as a member and loads back through the registry', async () => {
    for (const method of ['sigmoid', 'isotonic'] as const) {
      const cal = new CalibratedEstimator(createClassical('tfidf-logreg', { maxIter: 30 }), method);
      await cal.fit(train, { classes: TOY_CLASSES, seed: 1, validation });
      const P = await cal.predictProba(texts);
      for (const p of P) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const saved = await cal.save();
      expect(saved.members?.[0]).toMatchObject({ name: 'base', artifact: { kind: 'tfidf-logreg' } });
      expect(predictsWithTensors(saved)).toBe(false);
      const { head, tensors } = flattenArtifact(saved);
      const back = loadEstimator(unflattenArtifact(JSON.parse(JSON.stringify(head)), tensors));
      expect([back.kind, back.family]).toEqual(['calibrated', 'classical']);
      expect(await back.predictProba(texts)).toEqual(P);
    }
  });

  it('refuses to fit without validation examples', async () => {
    await expect(new CalibratedEstimator(createClassical('tfidf-nb'), 'temperature').fit(train, { classes: TOY_CLASSES, seed: 1 })).rejects.toThrow(/validation examples/);
  });
});
