/**
 * MinHash signatures over word shingles, and LSH banding to find candidate pairs without
 * comparing all of them (120k x 7.6k pairs would be ~10^9 Jaccard computations).
 *
 * Shingles are 32-bit hashes of k consecutive words, sorted and de-duplicated per text, so
 * that the exact Jaccard of a candidate pair is one merge of two small sorted arrays.
 * Each "permutation" is x -> h ^ (h >>> 15) with h = (x xor b) * a, a odd: a bijection of
 * 32-bit integers, so the minimum over a set behaves as a random-permutation MinHash, at four
 * integer ops per (shingle, permutation); the shingles are already well-mixed hashes. Coefficients come from a seeded Rng: same seed, same signatures.
 */
import { InputError } from '../util/errors';
import { fmix32 } from '../util/hash';
import { Rng } from '../util/random';

export { fmix32 };

/** Sorted, unique shingle hashes of many texts, packed: text t owns data[offsets[t]..offsets[t+1]). */
export interface ShingleSets {
  data: Uint32Array;
  offsets: Uint32Array;
}

/**
 * Word k-shingles of space-separated normalised texts. A text shorter than k words becomes one
 * shingle of all its words, so two-word headlines can still match each other.
 */
export function shingleSets(texts: readonly string[], k: number): ShingleSets {
  const offsets = new Uint32Array(texts.length + 1);
  let data = new Uint32Array(Math.max(1024, texts.length * 32));
  let at = 0;
  let words = new Int32Array(256);
  let buf = new Uint32Array(256);
  for (let t = 0; t < texts.length; t++) {
    // Word hashes (FNV-1a) in one pass over the code units: splitting into strings first
    // allocated millions of short-lived strings on a 120k-text corpus.
    const s = texts[t];
    let nw = 0;
    let h = 0x811c9dc5;
    let inWord = false;
    for (let i = 0; i <= s.length; i++) {
      const c = i < s.length ? s.charCodeAt(i) : 32;
      if (c === 32) {
        if (inWord) {
          if (nw === words.length) {
            const next = new Int32Array(nw * 2);
            next.set(words);
            words = next;
          }
          words[nw++] = h;
        }
        inWord = false;
        h = 0x811c9dc5;
      } else {
        inWord = true;
        h = Math.imul(h ^ c, 0x01000193);
      }
    }
    const n = nw === 0 ? 0 : Math.max(1, nw - k + 1);
    if (buf.length < n) buf = new Uint32Array(n * 2);
    for (let i = 0; i < n; i++) {
      // Position-weighted combination, mixed once: "a b c" and "b a c" are different shingles.
      let x = 0x9e3779b9;
      const end = Math.min(i + k, nw);
      for (let j = i; j < end; j++) x = Math.imul(x ^ words[j], 0x01000193) + j - i;
      buf[i] = fmix32(x);
    }
    const sorted = buf.subarray(0, n).sort();
    if (data.length < at + n) {
      const next = new Uint32Array(Math.max(data.length * 2, at + n));
      next.set(data.subarray(0, at));
      data = next;
    }
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) data[at++] = sorted[i];
    offsets[t + 1] = at;
  }
  return { data: data.subarray(0, at), offsets };
}

/** Exact Jaccard similarity of sets a and b (merge of two sorted runs). */
export function jaccard(s: ShingleSets, a: number, b: number): number {
  let i = s.offsets[a];
  const ie = s.offsets[a + 1];
  let j = s.offsets[b];
  const je = s.offsets[b + 1];
  const na = ie - i;
  const nb = je - j;
  if (na === 0 || nb === 0) return na === nb ? 1 : 0;
  let inter = 0;
  while (i < ie && j < je) {
    const x = s.data[i];
    const y = s.data[j];
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (na + nb - inter);
}

/**
 * numPerm signature values per text, row-major: sig[t * numPerm + p]. Kept as signed 32-bit
 * integers: V8 then never boxes values above 2^31, and the signed order is as good a fixed
 * total order for "minimum" as the unsigned one. This loop is the detector's hot spot.
 */
export function signatures(s: ShingleSets, numPerm: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const a = new Int32Array(numPerm);
  const b = new Int32Array(numPerm);
  for (let p = 0; p < numPerm; p++) {
    a[p] = (rng.next() * 0x100000000) | 1; // odd: multiplication mod 2^32 is then a bijection
    b[p] = rng.next() * 0x100000000;
  }
  const texts = s.offsets.length - 1;
  const sig = new Int32Array(texts * numPerm);
  const data = new Int32Array(s.data.buffer, s.data.byteOffset, s.data.length);
  for (let t = 0; t < texts; t++) {
    const base = t * numPerm;
    const start = s.offsets[t];
    const end = s.offsets[t + 1];
    // Permutation outside, shingles inside: the running minimum and coefficients stay in
    // registers (the other order re-read and re-wrote sig[] per shingle, ~3x slower).
    for (let p = 0; p < numPerm; p++) {
      const ap = a[p];
      const bp = b[p];
      let m = 0x7fffffff;
      for (let i = start; i < end; i++) {
        // (x xor b) * a, then fold the high bits down: a bijection per permutation, 4 int ops.
        let h = Math.imul(data[i] ^ bp, ap);
        h ^= h >>> 15;
        if (h < m) m = h;
      }
      sig[base + p] = m;
    }
  }
  return sig;
}

export interface LshOptions {
  numPerm: number;
  bands: number;
  /**
   * Buckets with more members than this are skipped (and counted): one band shared by
   * thousands of texts is boilerplate, and pairing them all would be quadratic.
   */
  maxBucket: number;
}

/**
 * Calls `onPair(i, j)` (i < j) for every pair sharing at least one band, each pair once.
 * `keep(i, j)` filters pairs before they are remembered (e.g. same-split pairs). Returns the
 * number of oversized buckets skipped.
 */
export function lshPairs(sig: Int32Array, texts: number, opts: LshOptions, keep: (i: number, j: number) => boolean, onPair: (i: number, j: number) => void): number {
  const { numPerm, bands, maxBucket } = opts;
  if (!Number.isInteger(bands) || bands < 1 || numPerm % bands !== 0) {
    throw new InputError(`LSH bands (${bands}) must divide the number of permutations (${numPerm})`, { field: 'bands' });
  }
  if (texts >= 1 << 21) throw new InputError(`LSH handles at most ${(1 << 21) - 1} distinct texts, got ${texts}`);
  const rows = numPerm / bands;
  const seen = new Set<number>();
  let skipped = 0;
  // key * 2^21 + text index < 2^53: one Float64Array sorted natively groups each bucket
  // contiguously (by key, then index) without a comparator or a Map of arrays.
  const packed = new Float64Array(texts);
  const SHIFT = 2 ** 21;
  for (let band = 0; band < bands; band++) {
    for (let t = 0; t < texts; t++) {
      let h = band * 0x27d4eb2d;
      const base = t * numPerm + band * rows;
      for (let r = 0; r < rows; r++) h = fmix32(Math.imul(h, 0x01000193) ^ sig[base + r]);
      packed[t] = h * SHIFT + t;
    }
    packed.sort();
    for (let start = 0; start < texts;) {
      const key = Math.floor(packed[start] / SHIFT);
      let end = start + 1;
      while (end < texts && Math.floor(packed[end] / SHIFT) === key) end++;
      if (end - start > maxBucket) skipped++;
      else {
        for (let x = start; x < end; x++) {
          const i = packed[x] - key * SHIFT;
          for (let y = x + 1; y < end; y++) {
            const j = packed[y] - key * SHIFT;
            if (!keep(i, j)) continue;
            const pair = i * texts + j; // i < j < 2^21: fits a double exactly
            if (seen.has(pair)) continue;
            seen.add(pair);
            onPair(i, j);
          }
        }
      }
      start = end;
    }
  }
  return skipped;
}
