import { describe, expect, it } from 'vitest';
import { configEpochs, durationText, etaSeconds, progressText, type TrainProgress } from './progress';

const p = (over: Partial<TrainProgress>): TrainProgress => ({ step: 1, epoch: 1, examplesPerSec: 0, firstAt: 0, firstStep: 1, at: 0, ...over });

describe('training progress', () => {
  it('estimates the time left from the rate since the first step, and moves as steps arrive', () => {
    const first = p({ step: 1, totalSteps: 101, firstAt: 1000, firstStep: 1, at: 1000 });
    expect(etaSeconds(first)).toBeUndefined();
    const later = { ...first, step: 11, at: 3000 }; // 10 steps in 2 s: 0.2 s a step, 90 to go
    expect(etaSeconds(later)).toBeCloseTo(18, 6);
    expect(etaSeconds({ ...later, step: 51, at: 11000 })).toBeCloseTo(10, 6);
    expect(etaSeconds({ ...later, totalSteps: undefined })).toBeUndefined();
  });

  it('says phase figures in one line, with totals when known', () => {
    expect(progressText(p({ step: 340, totalSteps: 1000, epoch: 2, totalEpochs: 5, examplesPerSec: 1234.4, firstAt: 0, firstStep: 40, at: 30_000 }))).toBe(
      'epoch 2 of 5 · step 340 of 1,000 (34%) · 1,234 examples/s · about 1 min 5 s left',
    );
    expect(progressText(p({ step: 3, epoch: 1, examplesPerSec: 10 }))).toBe('epoch 1 · step 3 · 10 examples/s · time left: measuring…');
  });

  it('rounds durations so the text does not flicker', () => {
    expect(durationText(0.4)).toBe('under a second');
    expect(durationText(42.4)).toBe('42 s');
    expect(durationText(61)).toBe('1 min');
    expect(durationText(128)).toBe('2 min 10 s');
    expect(durationText(7260)).toBe('2 h 1 min');
  });

  it('reads the epochs a config asks for', () => {
    expect(configEpochs({ model: { type: 'fasttext', train: { epochs: 5 } } })).toBe(5);
    expect(configEpochs({ model: { type: 'tfidf-sgd', epochs: 12 } })).toBe(12);
    expect(configEpochs({ model: { type: 'tfidf-nb' } })).toBeUndefined();
  });
});
