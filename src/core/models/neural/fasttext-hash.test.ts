import { describe, expect, it } from 'vitest';
import { fnv1a } from '../../util/hash';
import { Rng } from '../../util/random';
import { bigramBucket, fastTextHash } from './fasttext-hash';
import { Dictionary, fastTextTokens } from './vocab';

/** The C++ expressions evaluated with BigInt: int32 -> uint64 sign extension, wrap-around at 2^64. */
function reference(a: number, b: number, buckets: number): number {
  const sext = (x: number) => BigInt.asUintN(64, BigInt(x | 0));
  return Number(BigInt.asUintN(64, sext(a) * 116049371n + sext(b)) % BigInt(buckets));
}

describe("fastText's hashing", () => {
  it('is FNV-1a on ASCII tokens (published test vectors)', () => {
    expect(fastTextHash('')).toBe(0x811c9dc5);
    expect(fastTextHash('a')).toBe(0xe40c292c);
    expect(fastTextHash('foobar')).toBe(0xbf9cf968);
  });

  it('widens UTF-8 bytes as signed chars, as fastText does', () => {
    // 'é' is C3 A9; int8_t(0xC3) becomes 0xFFFFFFC3 before the xor.
    const fnv = (bytes: number[]) => bytes.reduce((h, b) => Math.imul((h ^ b) >>> 0, 16777619) >>> 0, 0x811c9dc5);
    expect(fastTextHash('é')).toBe(fnv([0xffffffc3, 0xffffffa9]));
    expect(fastTextHash('é')).not.toBe(fnv([0xc3, 0xa9]));
  });

  it('buckets bigrams exactly like the 64-bit C++ arithmetic, sign extension included', () => {
    const rng = new Rng(5);
    const edge = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
    for (const buckets of [1, 7, 100_000, 2_000_000, 2 ** 26, 2 ** 26 + 3, 1_000_000_007]) {
      for (const a of edge) for (const b of edge) expect(bigramBucket(a, b, buckets)).toBe(reference(a, b, buckets));
      for (let i = 0; i < 2000; i++) {
        const a = Math.floor(rng.next() * 2 ** 32);
        const b = Math.floor(rng.next() * 2 ** 32);
        expect(bigramBucket(a, b, buckets)).toBe(reference(a, b, buckets));
      }
    }
  });

  it("tokenises like the peer's preprocessing and puts bigrams after the words", () => {
    expect(fastTextTokens('Wall St.\\nBears (Reuters)\x1cup')).toEqual(['wall', 'st', '.', 'bears', '(', 'reuters', ')', 'up', '</s>']);
    const d = Dictionary.build(['a b', 'b c'], { tokenizer: 'fasttext', minCount: 1, maxWords: 10, buckets: 1000, wordNgrams: 2, maxTokens: 64 });
    const ids = Array.from(d.encode('a zz b'));
    const words = d.words.length;
    expect(ids.slice(0, 3)).toEqual(['a', 'b', '</s>'].map((w) => d.words.indexOf(w) + 1));
    // The unknown "zz" adds no word row but still forms both of its bigrams.
    const h = ['a', 'zz', 'b', '</s>'].map(fastTextHash);
    expect(ids.slice(3)).toEqual([0, 1, 2].map((i) => 1 + words + reference(h[i], h[i + 1], 1000)));
  });

  it('keeps the bucketing of models saved before fastText hashing, which have no bigramHash', () => {
    const cfg = { tokenizer: 'fasttext' as const, minCount: 1, maxWords: 10, buckets: 1000, wordNgrams: 2 as const, maxTokens: 64 };
    const legacy = new Dictionary(['a', 'b', '</s>'], cfg, 'fnv1a-pair');
    const pair = (x: string, y: string) => 4 + (fnv1a(y, fnv1a(x) ^ 0x2f) % 1000);
    expect(Array.from(legacy.encode('a b'))).toEqual([1, 2, 3, pair('a', 'b'), pair('b', '</s>')]);
  });
});
