import { describe, expect, it } from 'vitest';
import type { CompareEntry } from '../../core/experiment/compare';
import { bestIndices, ciText, classUnion, favoured, heatColor, heatTextDark, msText, ppCiText, ppText, pValueText, runLabels, runLetter, valAccuracy } from './compare';

describe('runLetter', () => {
  it('names runs A..Z then R27', () => {
    expect([0, 1, 25, 26].map(runLetter)).toEqual(['A', 'B', 'Z', 'R27']);
  });
});

describe('bestIndices', () => {
  it('picks the highest or lowest finite value', () => {
    expect([...bestIndices([0.8, 0.9, 0.85], true)]).toEqual([1]);
    expect([...bestIndices([3, 1, 2], false)]).toEqual([1]);
  });
  it('keeps ties and skips missing values', () => {
    expect([...bestIndices([0.9, undefined, 0.9, 0.7], true)]).toEqual([0, 2]);
    expect([...bestIndices([NaN, 2, 1], true)]).toEqual([1]);
  });
  it('marks nothing with one value or all equal', () => {
    expect(bestIndices([0.9], true).size).toBe(0);
    expect(bestIndices([0.9, undefined], true).size).toBe(0);
    expect(bestIndices([1, 1, 1], false).size).toBe(0);
  });
});

describe('interval and p-value text', () => {
  it('writes intervals in percent or plain', () => {
    expect(ciText([0.8912, 0.9301], true)).toBe('[89.1, 93.0]');
    expect(ciText([0.0212, 0.048], false)).toBe('[0.021, 0.048]');
    expect(ciText(undefined, true)).toBe('');
    expect(ciText([NaN, 1], true)).toBe('');
  });
  it('writes p-values', () => {
    expect(pValueText(0.0004)).toBe('< 0.001');
    expect(pValueText(0.0456)).toBe('0.046');
    expect(pValueText(1)).toBe('1.000');
    expect(pValueText(undefined)).toBe('–');
  });
  it('writes signed differences in percentage points', () => {
    expect(ppText(0.024)).toBe('+2.4 pp');
    expect(ppText(-0.01)).toBe('-1.0 pp');
    expect(ppText(0)).toBe('0.0 pp');
    expect(ppText(0.0001)).toBe('0.0 pp');
    expect(ppCiText([-0.005, 0.041])).toBe('[-0.5, +4.1] pp');
    expect(ppCiText(undefined)).toBe('');
  });
  it('says which run a difference favours', () => {
    expect(favoured(0.02, 'A', 'B')).toBe('A');
    expect(favoured(-0.02, 'A', 'B')).toBe('B');
    expect(favoured(0, 'A', 'B')).toBeUndefined();
  });
  it('writes milliseconds', () => {
    expect(msText(0.1234)).toBe('123 µs');
    expect(msText(0.004)).toBe('4 µs');
    expect(msText(0)).toBe('< 1 µs');
    expect(msText(1.234)).toBe('1.23 ms');
    expect(msText(42.25)).toBe('42.3 ms');
    expect(msText(undefined)).toBe('–');
  });
});

describe('confusion shading', () => {
  it('shades by share of the true class', () => {
    expect(heatColor(50, 100, true)).toBe('rgba(37, 99, 235, 0.43)');
    expect(heatColor(0, 100, false)).toBe('rgba(220, 38, 38, 0)');
    expect(heatColor(3, 0, false)).toBe('rgba(220, 38, 38, 0)');
    expect(heatTextDark(90, 100)).toBe(true);
    expect(heatTextDark(10, 100)).toBe(false);
  });
});

describe('entries', () => {
  const entry = (classes: string[], acc?: number): CompareEntry =>
    ({
      runId: 'r',
      configName: 'c',
      datasetId: 'd',
      classes,
      result: { validation: { accuracy: 0.5, macroF1: 0.4 } },
      validation: acc === undefined ? undefined : { accuracy: acc },
    }) as unknown as CompareEntry;
  it('prefers the full validation report and falls back to the result', () => {
    expect(valAccuracy(entry([], 0.7))).toBe(0.7);
    expect(valAccuracy(entry([]))).toBe(0.5);
  });
  it('unions class names in order', () => {
    expect(classUnion([entry(['a', 'b']), entry(['b', 'c'])])).toEqual(['a', 'b', 'c']);
  });
});

describe('runLabels', () => {
  it('gives each run a letter, a name and a colour, cycling the palette', () => {
    const labels = runLabels(
      [
        { runId: 'x', configName: 'nb' },
        { runId: 'y', configName: 'sgd' },
        { runId: 'z', configName: 'svm' },
      ],
      ['red', 'blue'],
    );
    expect(labels.get('y')).toEqual({ runId: 'y', letter: 'B', name: 'B · sgd', color: 'blue' });
    expect(labels.get('z')?.color).toBe('red');
  });
});
