import { describe, expect, it } from 'vitest';
import { splitValidation, stratifiedQuotas, stratifiedSubset } from './split';

/** Rows with class sizes as given, labels interleaved. */
function rows(sizes: number[]): { id: number; label: number }[] {
  const out: { id: number; label: number }[] = [];
  let id = 0;
  sizes.forEach((n, label) => {
    for (let k = 0; k < n; k++) out.push({ id: id++, label });
  });
  return out.sort((a, b) => ((a.id * 7919) % 1000) - ((b.id * 7919) % 1000) || a.id - b.id);
}

const count = (rs: { label: number }[], c: number) => rs.filter((r) => r.label === c).length;

describe('splitValidation', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const data = rows([100, 50, 30]);
    const a = splitValidation(data, 3, 0.1, 7);
    const b = splitValidation(data, 3, 0.1, 7);
    const c = splitValidation(data, 3, 0.1, 8);
    expect(a).toEqual(b);
    expect(a.validation.map((r) => r.id)).not.toEqual(c.validation.map((r) => r.id));
  });

  it('stratifies: each class gives round(n * fraction) rows', () => {
    const { train, validation } = splitValidation(rows([100, 50, 30, 5]), 4, 0.1, 1);
    expect([0, 1, 2, 3].map((c) => count(validation, c))).toEqual([10, 5, 3, 1]);
    expect(train.length + validation.length).toBe(185);
    const ids = new Set([...train, ...validation].map((r) => r.id));
    expect(ids.size).toBe(185);
  });

  it('keeps at least one example of every class in train', () => {
    const { train, validation } = splitValidation(rows([1, 2, 3]), 3, 0.9, 3);
    expect([0, 1, 2].map((c) => count(train, c))).toEqual([1, 1, 1]);
    expect(validation.length).toBe(3);
  });

  it('keeps source order inside both parts', () => {
    const data = rows([40, 40]);
    const { train, validation } = splitValidation(data, 2, 0.25, 5);
    const pos = new Map(data.map((r, k) => [r.id, k]));
    for (const part of [train, validation]) {
      const p = part.map((r) => pos.get(r.id)!);
      expect([...p].sort((x, y) => x - y)).toEqual(p);
    }
  });

  it('refuses fractions outside [0, 1)', () => {
    expect(() => splitValidation([], 1, 1, 0)).toThrow(/validationFraction/);
    expect(() => splitValidation([], 1, -0.1, 0)).toThrow(/validationFraction/);
  });
});

describe('stratifiedSubset', () => {
  it('takes a proportional, seeded subset', () => {
    const data = rows([600, 300, 100]);
    const a = stratifiedSubset(data, 3, 100, 9);
    expect(a).toHaveLength(100);
    expect([0, 1, 2].map((c) => count(a, c))).toEqual([60, 30, 10]);
    expect(stratifiedSubset(data, 3, 100, 9)).toEqual(a);
    expect(stratifiedSubset(data, 3, 100, 10)).not.toEqual(a);
  });

  it('gives every class one row when the budget allows', () => {
    expect(stratifiedQuotas([1000, 1, 1], 10)).toEqual([8, 1, 1]);
    expect(stratifiedQuotas([5, 5], 20)).toEqual([5, 5]);
    expect(stratifiedQuotas([3, 3, 3], 7).reduce((a, b) => a + b)).toBe(7);
  });

  it('returns everything when there are fewer rows than the maximum', () => {
    const data = rows([3, 3]);
    expect(stratifiedSubset(data, 2, 100, 1)).toBe(data);
  });
});
