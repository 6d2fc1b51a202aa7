/**
 * Open-addressing hash map from a pair of int32 to a non-negative int32. Word bigram lookups
 * run once per token pair in every document; a JS Map keyed by a combined number would box
 * keys above 2^31 into heap numbers, and this flat table is several times faster.
 */
export class PairTable {
  /** Slot s holds key a, key b and value at 3s, 3s+1, 3s+2 (value -1: empty): one cache line per probe. */
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.slots = PairTable.empty(cap);
    this.mask = cap - 1;
  }

  private static empty(cap: number): Int32Array {
    const slots = new Int32Array(3 * cap);
    for (let s = 2; s < slots.length; s += 3) slots[s] = -1;
    return slots;
  }

  private static slot(a: number, b: number, mask: number): number {
    let h = Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & mask;
  }

  /** Value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const mask = this.mask;
    const slots = this.slots;
    let s = PairTable.slot(a, b, mask);
    for (;;) {
      const o = 3 * s;
      const v = slots[o + 2];
      if (v < 0) return -1;
      if (slots[o] === a && slots[o + 1] === b) return v;
      s = (s + 1) & mask;
    }
  }

  /** Stores (a, b) -> value (value >= 0), replacing any previous value. */
  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash();
    const mask = this.mask;
    const slots = this.slots;
    let s = PairTable.slot(a, b, mask);
    for (;;) {
      const o = 3 * s;
      if (slots[o + 2] < 0) {
        slots[o] = a;
        slots[o + 1] = b;
        slots[o + 2] = value;
        this.size++;
        return;
      }
      if (slots[o] === a && slots[o + 1] === b) {
        slots[o + 2] = value;
        return;
      }
      s = (s + 1) & mask;
    }
  }

  private rehash(): void {
    const old = this.slots;
    const cap = 2 * (this.mask + 1);
    this.slots = PairTable.empty(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let o = 0; o < old.length; o += 3) if (old[o + 2] >= 0) this.set(old[o], old[o + 1], old[o + 2]);
  }
}

/**
 * The (a, b) key of the word n-gram ids[start .. start+n), n >= 2: the two ids for a bigram
 * (exact), two independent 32-bit hashes of the ids beyond (one table per n keeps bigrams and
 * trigrams apart; a collision needs both hashes to agree). Written into `out`.
 */
export function gramPair(ids: ArrayLike<number>, start: number, n: number, out: Int32Array): void {
  if (n === 2) {
    out[0] = ids[start];
    out[1] = ids[start + 1];
    return;
  }
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = start; i < start + n; i++) {
    h1 = Math.imul(h1 ^ ids[i], 0x01000193);
    h2 = Math.imul(h2 ^ ids[i], 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  out[0] = h1;
  out[1] = h2;
}
