/**
 * N-gram helpers that avoid string building: hashing-mode keys for word n-grams combine the
 * tokens' hashes, and char n-grams are produced once per word type (the vectorizer caches
 * them), so the per-document work is integer-only. Id-pair keys live in pair-table.ts.
 */
import { fmix32, fnv1a } from '../util/hash';

export { fmix32 };

/** Hash of a word n-gram from its tokens' FNV hashes (hashing mode: no token ids exist). */
export function wordGramHash(hashes: ArrayLike<number>, start: number, n: number): number {
  let h = 0x3c6ef372 ^ n;
  for (let i = start; i < start + n; i++) h = Math.imul(h ^ hashes[i], 0x01000193) ^ (h >>> 15);
  return fmix32(h);
}

/** Hash of one token string, for hashing mode. */
export function tokenHash(token: string): number {
  return fnv1a(token);
}

/** Hash of one char n-gram string, for hashing mode (a different seed than tokens). */
export function charGramHash(gram: string): number {
  return fmix32(fnv1a(gram, 0x2545f491));
}

/**
 * Char n-grams of one word with its padding, exactly as scikit-learn's `char_wb` analyzer:
 * the word is padded to ` word `, and a padded word shorter than or equal to n yields itself
 * once and stops the larger sizes. Repeats are kept (they are counts).
 */
export function charWbGrams(word: string, minN: number, maxN: number, out: string[] = []): string[] {
  out.length = 0;
  const w = ' ' + word + ' ';
  const len = w.length;
  for (let n = minN; n <= maxN; n++) {
    let offset = 0;
    out.push(w.slice(0, n));
    while (offset + n < len) {
      offset++;
      out.push(w.slice(offset, offset + n));
    }
    if (offset === 0) break;
  }
  return out;
}

/** The display string of a word n-gram (tokens joined by one space, as scikit-learn does). */
export function joinGram(tokens: string[]): string {
  return tokens.join(' ');
}
