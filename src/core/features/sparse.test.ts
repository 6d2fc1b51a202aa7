import { describe, expect, it } from 'vitest';
import { columnSlice, CsrBuilder, denseRow, selectRows } from './sparse';
import { PairTable, gramPair } from './pair-table';

// 3 x 5: [[1 0 2 0 3], [0 0 0 4 0], [5 6 0 0 7]]
function sample() {
  const b = new CsrBuilder(5);
  b.addRow([0, 2, 4], [1, 2, 3]);
  b.addRow([3], [4]);
  b.addRow([4, 0, 1], [7, 5, 6]);
  return b.build();
}

describe('sparse matrices', () => {
  it('slices a column block into its own column numbers', () => {
    const S = columnSlice(sample(), 2, 5);
    expect(S.cols).toBe(3);
    expect([0, 1, 2].map((i) => Array.from(denseRow(S, i)))).toEqual([
      [2, 0, 3],
      [0, 4, 0],
      [0, 0, 7],
    ]);
    // Row order of entries is kept (it decides the summation order of solvers).
    expect(Array.from(columnSlice(sample(), 0, 2).indices)).toEqual([0, 0, 1]);
  });

  it('selects rows in the given order', () => {
    const R = selectRows(sample(), Int32Array.from([2, 0]));
    expect(Array.from(denseRow(R, 0))).toEqual([5, 6, 0, 0, 7]);
    expect(Array.from(denseRow(R, 1))).toEqual([1, 0, 2, 0, 3]);
  });
});

describe('PairTable', () => {
  it('stores, replaces and finds pairs across rehashes', () => {
    const t = new PairTable(2);
    for (let i = 0; i < 1000; i++) t.set(i, -i * 7919, i * 2);
    t.set(5, -5 * 7919, 1);
    expect(t.size).toBe(1000);
    expect(t.get(5, -5 * 7919)).toBe(1);
    expect(t.get(999, -999 * 7919)).toBe(1998);
    expect(t.get(999, 999)).toBe(-1);
  });

  it('keys bigrams by their ids and longer n-grams by hashes', () => {
    const out = new Int32Array(2);
    gramPair([4, 9, 2], 0, 2, out);
    expect(Array.from(out)).toEqual([4, 9]);
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    gramPair([4, 9, 2], 0, 3, a);
    gramPair([4, 2, 9], 0, 3, b);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
});
