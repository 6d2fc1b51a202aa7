import { describe, expect, it } from 'vitest';
import { legendOrder, valueDomain, type Series } from './series';

const s = (...ys: number[]): Series => ({ name: 'x', color: '#000', points: ys.map((y, i) => ({ x: i + 1, y })) });

describe('valueDomain', () => {
  it('draws a loss from 0, so noise of a few thousandths stays flat', () => {
    expect(valueDomain([s(1.377, 1.371, 1.374)])).toEqual([0, 1.5]);
    expect(valueDomain([s(0.42), s(0.3, 0.61)])).toEqual([0, 0.65]);
    expect(valueDomain([s(12, 30)])).toEqual([0, 35]);
  });

  it('keeps the automatic range for values below 0 and for no values', () => {
    expect(valueDomain([s(-1, 2)])).toEqual(['auto', 'auto']);
    expect(valueDomain([])).toEqual(['auto', 'auto']);
    expect(valueDomain([s(0, 0)])).toEqual([0, 1]);
  });
});

describe('legendOrder', () => {
  it('sorts legend items in drawing order, not alphabetically', () => {
    const key = legendOrder(['train', 'validation', 'test']);
    const items = [{ value: 'test' }, { value: 'train' }, { value: 'other' }, { value: 'validation' }];
    expect(items.sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((i) => i.value)).toEqual(['train', 'validation', 'test', 'other']);
  });
});
