/** The selector on made-up estimates: what fits, in what order, and the reason for each one left out. */
import { describe, expect, it } from 'vitest';
import type { RunEstimate } from '../lab/quota-api';
import { MEASURED_ACCURACY } from './measured-accuracy';
import { recommend } from './recommend';

const est = (seconds: number, peakBytes: number, problems: string[] = []): RunEstimate => ({
  model: 'm',
  backend: 'cpu',
  parameters: 1,
  trainableParameters: 1,
  peakBytes,
  checkpointBytes: 10,
  secondsPerEpoch: seconds,
  seconds,
  epochs: 1,
  trainExamples: 1000,
  basis: 'fake',
  problems,
});
const MiB = 2 ** 20;

describe('recommend', () => {
  const presets = [
    { preset: 'quickstart-nb', estimate: est(5, 100 * MiB) },
    { preset: 'tfidf-nb', estimate: est(20, 100 * MiB) },
    { preset: 'tfidf-svm', estimate: est(50, 300 * MiB) },
    { preset: 'tfidf-logreg', estimate: est(70, 100 * MiB) },
    { preset: 'fasttext-cpu', estimate: est(8, 200 * MiB) },
    { preset: 'textcnn', estimate: est(30, 3000 * MiB) },
    { preset: 'bigru', estimate: est(10, 50 * MiB, ['[device-memory] too big']) },
    { preset: 'tiny-bert', unavailable: 'its base is a local folder (file:x), which the page cannot read' },
  ];

  it('keeps what fits the time and memory, the measured ones first by accuracy, the unmeasured after them quickest first', () => {
    const r = recommend(presets, { seconds: 60, memoryBytes: 1024 * MiB });
    expect(r.recommendations.map((x) => x.preset)).toEqual(['tfidf-svm', 'tfidf-nb', 'quickstart-nb', 'fasttext-cpu']);
    expect(r.recommendations[0].expectedAccuracy).toEqual(MEASURED_ACCURACY['tfidf-svm']);
    expect(r.recommendations[0].why).toMatch(/^fits: about 50 s of the 60 s budget, 300 MiB at its peak of 1.0 GiB; accuracy 91\.62% \(5-fold cross-validation/);
    expect(r.recommendations[2]).toMatchObject({ estimate: { seconds: 5, peakBytes: 100 * MiB, checkpointBytes: 10 } });
    expect(r.recommendations[2].why).toMatch(/accuracy unknown/);
  });

  it('says why each other preset is left out: over time by how much, over memory, refused by the guard, unavailable', () => {
    const r = recommend(presets, { seconds: 60, memoryBytes: 1024 * MiB });
    const reason = Object.fromEntries(r.rejected.map((x) => [x.preset, x.reason]));
    expect(Object.keys(reason)).toEqual(['tfidf-logreg', 'textcnn', 'bigru', 'tiny-bert']);
    expect(reason['tfidf-logreg']).toBe('over time by 10 s: about 70 s (1 epoch of 1,000 examples) against a budget of 60 s');
    expect(reason.textcnn).toBe('over memory: about 2.9 GiB at its peak against 1.0 GiB');
    expect(reason.bigru).toBe('refused by the guard: [device-memory] too big');
    expect(reason['tiny-bert']).toMatch(/local folder/);
    expect(r.rejected.find((x) => x.preset === 'textcnn')!.estimate).toEqual({ seconds: 30, peakBytes: 3000 * MiB, checkpointBytes: 10 });
  });

  it('without a memory budget memory rejects nothing; a tight budget leaves nothing, every preset with its reason', () => {
    expect(recommend(presets, { seconds: 60 }).recommendations.map((x) => x.preset)).toContain('textcnn');
    const none = recommend(presets, { seconds: 1 });
    expect(none.recommendations).toEqual([]);
    expect(none.rejected).toHaveLength(presets.length);
  });
});
