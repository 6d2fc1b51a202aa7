import { describe, expect, it } from 'vitest';
import { Rng } from '../util/random';
import { accuracyCI } from './bootstrap';
import { expectedCalibrationError, expectedCalibrationErrorEqualMass } from './calibration';
import { parseCustomScoreConfig } from './custom-score';
import { argmax, brierScore, macroF1, topKAccuracy } from './metrics';
import { evaluationReport } from './report';

const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];

function data(n: number) {
  const rng = new Rng(21);
  const labels: number[] = [];
  const probs: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.int(4);
    const row = Float32Array.from({ length: 4 }, () => rng.next());
    row[y] += rng.next() < 0.75 ? 1.5 : 0;
    const s = row.reduce((a, b) => a + b, 0);
    labels.push(y);
    probs.push(row.map((v) => v / s));
  }
  return { labels, probs };
}

describe('evaluation report', () => {
  const { labels, probs } = data(300);
  const r = evaluationReport('file', labels, probs, classes, 3, { resamples: 200 });

  it('keeps the original fields and their meaning', () => {
    const pred = probs.map(argmax);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['split', 'n', 'accuracy', 'macroF1', 'logLoss', 'perClass', 'ece', 'ci95', 'confusion']));
    expect(r.split).toBe('file');
    expect(r.n).toBe(300);
    expect(r.macroF1).toBeCloseTo(macroF1(labels, pred, 4), 12);
    expect(Object.keys(r.perClass)).toEqual(classes);
    expect(r.ece).toBe(expectedCalibrationError(probs, labels));
    expect(r.ci95).toEqual(
      accuracyCI(
        pred.map((p, i) => (p === labels[i] ? 1 : 0)),
        { seed: 3, resamples: 200 },
      ),
    );
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('adds Brier, top-2, equal-mass ECE, both reliability diagrams and more intervals', () => {
    expect(r.brier).toBeCloseTo(brierScore(labels, probs), 12);
    expect(r.top2).toBe(topKAccuracy(labels, probs, 2));
    expect(r.top2).toBeGreaterThanOrEqual(r.accuracy);
    expect(r.eceEqualMass).toBe(expectedCalibrationErrorEqualMass(probs, labels));
    expect(r.reliability.equalWidth.bins).toHaveLength(15);
    expect(r.reliability.equalMass.bins.map((b) => b.count)).toEqual(new Array(15).fill(20));
    expect(r.ciMacroF1[0]).toBeLessThanOrEqual(r.macroF1);
    expect(r.ciMacroF1[1]).toBeGreaterThanOrEqual(r.macroF1);
    expect(r.ciLogLoss[0]).toBeLessThanOrEqual(r.logLoss);
    expect(r.ciEce[1]).toBeGreaterThan(r.ciEce[0]);
    expect(r.custom).toBeUndefined();
    expect(r.bootstrap).toEqual({ seed: 3, resamples: 200, level: 0.95 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('includes the custom score when a config is given', () => {
    const custom = parseCustomScoreConfig({ name: 'desk', weights: { f1: Object.fromEntries(classes.map((c) => [c, 1])) } });
    const withCustom = evaluationReport('test', labels, probs, classes, 3, { custom, resamples: 50 });
    expect(withCustom.custom?.name).toBe('desk');
    expect(withCustom.custom?.score).toBeCloseTo(withCustom.macroF1, 12);
  });

  it('handles an empty set without NaN', () => {
    const e = evaluationReport('file', [], [], classes, 1, { resamples: 10 });
    expect(e).toMatchObject({ n: 0, accuracy: 0, ece: 0, eceEqualMass: 0, brier: 0, top2: 0 });
  });
});
