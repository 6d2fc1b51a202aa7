/**
 * fastText's hashing (facebookresearch/fastText, src/dictionary.cc), reproduced bit for bit so
 * that word bigrams fall into the same buckets as in fastText itself:
 *
 *   uint32_t hash(str): FNV-1a over the UTF-8 bytes, each byte widened as a *signed* char;
 *   addWordNgrams: uint64_t h = hashes[i]; h = h * 116049371 + hashes[i + 1]; bucket = h % B,
 *
 * where `hashes` is a std::vector<int32_t>, so both word hashes enter the 64-bit sum
 * sign-extended. JavaScript numbers hold 53 bits, hence the 32-bit halves below.
 */

const TWO32 = 4294967296;
const NGRAM_MULT = 116049371;
const utf8 = new TextEncoder();

/** fastText's Dictionary::hash of one token. */
export function fastTextHash(token: string): number {
  let h = 2166136261;
  for (let i = 0; i < token.length; i++) {
    if (token.charCodeAt(i) >= 0x80) return hashBytes(utf8.encode(token));
    h = Math.imul(h ^ token.charCodeAt(i), 16777619) >>> 0;
  }
  return h;
}

function hashBytes(bytes: Uint8Array): number {
  let h = 2166136261;
  // int8_t(byte) widened to uint32: bytes >= 0x80 gain 24 high one-bits.
  for (const b of bytes) h = Math.imul(h ^ (b >= 0x80 ? b | 0xffffff00 : b), 16777619) >>> 0;
  return h >>> 0;
}

/**
 * (sext64(a) * 116049371 + sext64(b)) mod 2^64 mod buckets, for uint32 word hashes a and b.
 * sext64(x) is x - 2^32 (mod 2^64) when x >= 2^31, which only changes the high word.
 */
export function bigramBucket(a: number, b: number, buckets: number): number {
  const a1 = Math.floor(a / 65536);
  const p1 = a1 * NGRAM_MULT; // < 2^43: exact
  const p0 = (a - a1 * 65536) * NGRAM_MULT;
  let lo = (p1 % 65536) * 65536 + p0 + b; // < 2^45: exact
  let hi = Math.floor(p1 / 65536) + Math.floor(lo / TWO32);
  lo %= TWO32;
  if (a >= 2 ** 31) hi -= NGRAM_MULT;
  if (b >= 2 ** 31) hi -= 1;
  hi = ((hi % TWO32) + TWO32) % TWO32;
  // The product below stays under 2^53 only while buckets <= 2^26.
  if (buckets > 2 ** 26) return Number((BigInt(hi) * BigInt(TWO32) + BigInt(lo)) % BigInt(buckets));
  return ((hi % buckets) * (TWO32 % buckets) + lo) % buckets;
}
