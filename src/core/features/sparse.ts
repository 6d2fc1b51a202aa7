/**
 * Compressed sparse row matrices, the one data layout the classical models train on.
 * Values are float32 (TF-IDF needs no more and it halves memory); solvers accumulate in f64.
 */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** Row i occupies [indptr[i], indptr[i+1]) of `indices` and `values`. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Appends rows one at a time into growable typed arrays (doubling), so building a matrix of
 * millions of non-zeros never goes through JS arrays of boxed numbers.
 */
export class CsrBuilder {
  private indices: Int32Array;
  private values: Float32Array;
  private indptr: number[] = [0];
  private nnz = 0;

  constructor(
    readonly cols: number,
    capacity = 1024,
  ) {
    this.indices = new Int32Array(Math.max(16, capacity));
    this.values = new Float32Array(Math.max(16, capacity));
  }

  get rows(): number {
    return this.indptr.length - 1;
  }

  private grow(need: number): void {
    if (need <= this.indices.length) return;
    let cap = this.indices.length * 2;
    while (cap < need) cap *= 2;
    const idx = new Int32Array(cap);
    idx.set(this.indices.subarray(0, this.nnz));
    const val = new Float32Array(cap);
    val.set(this.values.subarray(0, this.nnz));
    this.indices = idx;
    this.values = val;
  }

  /** Adds one row from parallel arrays (first `length` entries). */
  addRow(indices: ArrayLike<number>, values: ArrayLike<number>, length = indices.length): void {
    this.grow(this.nnz + length);
    for (let k = 0; k < length; k++) {
      this.indices[this.nnz + k] = indices[k];
      this.values[this.nnz + k] = values[k];
    }
    this.nnz += length;
    this.indptr.push(this.nnz);
  }

  build(): CsrMatrix {
    return {
      rows: this.rows,
      cols: this.cols,
      indptr: Int32Array.from(this.indptr),
      indices: this.indices.slice(0, this.nnz),
      values: this.values.slice(0, this.nnz),
    };
  }
}

/** Number of stored entries. */
export function nnz(m: CsrMatrix): number {
  return m.indptr[m.rows];
}

/** A new matrix holding the given rows, in that order (used for folds and subsets). */
export function selectRows(m: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
  let total = 0;
  for (let r = 0; r < rows.length; r++) total += m.indptr[rows[r] + 1] - m.indptr[rows[r]];
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(total);
  const values = new Float32Array(total);
  let p = 0;
  for (let r = 0; r < rows.length; r++) {
    const a = m.indptr[rows[r]];
    const b = m.indptr[rows[r] + 1];
    indices.set(m.indices.subarray(a, b), p);
    values.set(m.values.subarray(a, b), p);
    p += b - a;
    indptr[r + 1] = p;
  }
  return { rows: rows.length, cols: m.cols, indptr, indices, values };
}

/** Squared l2 norm of every row (dual coordinate descent needs Q_ii = ||x_i||^2). */
export function rowSquaredNorms(m: CsrMatrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) s += m.values[p] * m.values[p];
    out[i] = s;
  }
  return out;
}

/** Dense copy of one row, for tests and debugging only. */
export function denseRow(m: CsrMatrix, i: number): Float64Array {
  const out = new Float64Array(m.cols);
  for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) out[m.indices[p]] += m.values[p];
  return out;
}

/**
 * Columns [from, to) of m as a matrix of their own (column c becomes c - from): models that
 * see one analyzer block train without carrying weights for the other block's columns.
 */
export function columnSlice(m: CsrMatrix, from: number, to: number): CsrMatrix {
  let total = 0;
  for (let p = 0; p < m.indptr[m.rows]; p++) if (m.indices[p] >= from && m.indices[p] < to) total++;
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(total);
  const values = new Float32Array(total);
  let q = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) {
      const c = m.indices[p];
      if (c < from || c >= to) continue;
      indices[q] = c - from;
      values[q++] = m.values[p];
    }
    indptr[i + 1] = q;
  }
  return { rows: m.rows, cols: to - from, indptr, indices, values };
}
