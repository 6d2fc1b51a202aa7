/**
 * The column index of a TF-IDF vectorizer and its per-document counting loop. Per word type
 * it caches its unigram column and the columns of its char n-grams (`Entry`), so counting a
 * document is a loop over integers: char n-grams, the expensive part in scikit-learn, cost
 * one cache lookup per token here. Counts go to an Int32Array (half the cache footprint of
 * doubles, and the loop is the hot path of prediction).
 */
import { isWordChar, normalizeText } from '../text/normalize';
import { charGramHash, charWbGrams, tokenHash, wordGramHash } from './ngrams';
import { gramPair, PairTable } from './pair-table';
import type { TfidfConfig } from './tfidf-config';
import type { TypeColumns } from './vocab-count';

export interface Vocabulary {
  word: string[];
  char: string[];
}

const CACHE_LIMIT = 1 << 18;

/**
 * What the index knows about each word type seen so far, in flat typed arrays (an object per
 * type costs two pointer chases per token on the hot path). Types are found by a 64-bit hash
 * of their characters, computed while scanning the text, and confirmed against the stored
 * string, so no token string is built for a type already known.
 */
class TypeCache {
  readonly table = new PairTable(1 << 12);
  strings: string[] = [];
  len = new Int32Array(1024);
  /** Id in the word-n-gram token table, -1 when the token is in no kept word n-gram. */
  id = new Int32Array(1024);
  /** FNV hash of the token (hashing mode). */
  hash = new Int32Array(1024);
  /** Column of the unigram, -1 if not a feature. */
  uni = new Int32Array(1024);
  /** Its char n-gram columns are pool[charStart[t] .. charStart[t+1]) (repeats are counts). */
  charStart = new Int32Array(1025);
  pool = new Int32Array(4096);
  size = 0;

  add(tok: string, id: number, hash: number, uni: number, chars: number[]): number {
    const t = this.size;
    if (t + 1 >= this.len.length) {
      const grow = <T extends Int32Array>(a: T, n: number): T => {
        const b = new Int32Array(n) as T;
        b.set(a);
        return b;
      };
      const n = this.len.length * 2;
      this.len = grow(this.len, n);
      this.id = grow(this.id, n);
      this.hash = grow(this.hash, n);
      this.uni = grow(this.uni, n);
      this.charStart = grow(this.charStart, n + 1);
    }
    const start = this.charStart[t];
    if (start + chars.length > this.pool.length) {
      const b = new Int32Array(Math.max(this.pool.length * 2, start + chars.length));
      b.set(this.pool);
      this.pool = b;
    }
    this.pool.set(chars, start);
    this.charStart[t + 1] = start + chars.length;
    this.strings.push(tok);
    this.len[t] = tok.length;
    this.id[t] = id;
    this.hash[t] = hash;
    this.uni[t] = uni;
    this.size++;
    return t;
  }
}

export class TfidfIndex {
  readonly wordCols: number;
  readonly charCols: number;
  private readonly tokenIndex = new Map<string, number>();
  /** Unigram column by token id. */
  private readonly uniIndex: Int32Array;
  /** Column of word n-grams (n >= 2) by id pair, one table per n. */
  private readonly pairIndex: PairTable[] = [];
  private readonly pair = new Int32Array(2);
  private readonly charIndex = new Map<string, number>();
  private cache = new TypeCache();
  /** Raw counts of the current document by column; zero again after `take`. */
  readonly counts: Int32Array;
  /** Columns counted in the current document, in first-seen order. */
  readonly touched: Int32Array;
  nTouched = 0;
  private seqIds = new Int32Array(256);
  private seqHashes = new Int32Array(256);
  private readonly grams: string[] = [];
  private readonly chars: number[] = [];

  /** Column maps from the vocabulary (the same code after fit and after load: identical output). */
  constructor(
    private readonly config: TfidfConfig,
    private readonly vocabulary: Vocabulary | null,
  ) {
    const c = config;
    const uni: number[] = [];
    if (c.hashing > 0) {
      this.wordCols = c.word ? c.hashing : 0;
      this.charCols = c.char ? c.hashing : 0;
    } else {
      const v = vocabulary ?? { word: [], char: [] };
      this.wordCols = v.word.length;
      this.charCols = v.char.length;
      const ids: number[] = [];
      for (let col = 0; col < v.word.length; col++) {
        ids.length = 0;
        for (const tok of v.word[col].split(' ')) {
          let id = this.tokenIndex.get(tok);
          if (id === undefined) {
            id = this.tokenIndex.size;
            this.tokenIndex.set(tok, id);
          }
          ids.push(id);
        }
        if (ids.length === 1) uni[ids[0]] = col;
        else {
          gramPair(ids, 0, ids.length, this.pair);
          (this.pairIndex[ids.length] ??= new PairTable(v.word.length)).set(this.pair[0], this.pair[1], col);
        }
      }
      for (let j = 0; j < v.char.length; j++) this.charIndex.set(v.char[j], this.wordCols + j);
    }
    this.uniIndex = new Int32Array(this.tokenIndex.size).fill(-1);
    for (let id = 0; id < uni.length; id++) if (uni[id] !== undefined) this.uniIndex[id] = uni[id];
    this.counts = new Int32Array(this.numFeatures);
    this.touched = new Int32Array(this.numFeatures);
  }

  get numFeatures(): number {
    return this.wordCols + this.charCols;
  }

  /** Name of a column: the word n-gram, a char n-gram in brackets (`[ ca]`), or `word#b` / `char#b` when hashing. */
  featureName(col: number): string {
    if (col < this.wordCols) return this.vocabulary ? this.vocabulary.word[col] : `word#${col}`;
    const j = col - this.wordCols;
    return this.vocabulary ? `[${this.vocabulary.char[j]}]` : `char#${j}`;
  }

  /**
   * The type of text[from, to), added to the cache on first sight. h1, h2: two independent
   * hashes of its characters; the stored string confirms the match, so a hash collision
   * costs a slice, never a wrong column.
   */
  private typeOf(text: string, from: number, to: number, h1: number, h2: number): number {
    const cache = this.cache;
    const t = cache.table.get(h1, h2);
    if (t >= 0) {
      const str = cache.strings[t];
      if (str.length === to - from && text.startsWith(str, from)) return t;
      return this.newType(text.slice(from, to), false, h1, h2);
    }
    return this.newType(text.slice(from, to), true, h1, h2);
  }

  /** Computes a type's columns; findable under (h1, h2) unless that key is taken (collision). */
  private newType(tok: string, findable: boolean, h1: number, h2: number): number {
    const c = this.config;
    const hashing = c.hashing > 0;
    const hash = hashing ? tokenHash(tok) : 0;
    const id = hashing ? -1 : (this.tokenIndex.get(tok) ?? -1);
    let uni = -1;
    if (c.word && c.word.ngramMin === 1 && tok.length >= c.word.minTokenLength) {
      uni = hashing ? hash % c.hashing : id >= 0 ? this.uniIndex[id] : -1;
    }
    const cols = this.chars;
    cols.length = 0;
    if (c.char && tok.length >= c.char.minTokenLength) {
      charWbGrams(tok, c.char.ngramMin, c.char.ngramMax, this.grams);
      for (const g of this.grams) {
        const col = hashing ? this.wordCols + (charGramHash(g) % c.hashing) : (this.charIndex.get(g) ?? -1);
        if (col >= 0) cols.push(col);
      }
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache = new TypeCache();
    const t = this.cache.add(tok, id, hash, uni, cols);
    if (findable) this.cache.table.set(h1, h2, t);
    return t;
  }

  /**
   * Fills the type cache from the fitting pass's columns of the training types, so the first
   * texts transformed after fit (the first predictions) find their words already resolved,
   * as they would once a transform pass had seen them.
   */
  prime(types: TypeColumns): void {
    const n = Math.min(types.tokens.length, CACHE_LIMIT);
    const cols: number[] = [];
    for (let t = 0; t < n; t++) {
      const tok = types.tokens[t];
      let h1 = 0x811c9dc5;
      let h2 = 0x9747b28c;
      for (let i = 0; i < tok.length; i++) {
        const ch = tok.charCodeAt(i);
        h1 = Math.imul(h1 ^ ch, 0x01000193);
        h2 = Math.imul(h2 ^ ch, 0x5bd1e995);
        h2 ^= h2 >>> 13;
      }
      if (this.cache.table.get(h1, h2) >= 0) continue;
      cols.length = 0;
      for (let k = types.charStart[t]; k < types.charStart[t + 1]; k++) cols.push(types.charCols[k]);
      const e = this.cache.add(tok, this.tokenIndex.get(tok) ?? -1, 0, types.uni[t], cols);
      this.cache.table.set(h1, h2, e);
    }
  }

  /** Raw n-gram counts of one text into `counts`, their columns into `touched`. */
  accumulate(text: string): void {
    const c = this.config;
    const counts = this.counts;
    const touched = this.touched;
    let nt = 0;
    const norm = normalizeText(text, { clean: c.clean });
    const w = c.word;
    const minLen = w ? w.minTokenLength : Infinity;
    let m = 0;
    // Tokens are maximal runs of word characters, as text/normalize's tokenize(); they are
    // hashed while scanning instead of being cut out as strings.
    const n = norm.length;
    let start = -1;
    let h1 = 0;
    let h2 = 0;
    for (let i = 0; i <= n; i++) {
      const ch = i < n ? norm.charCodeAt(i) : 32;
      const word = ch < 128 ? (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) : isWordChar(ch);
      if (word) {
        if (start < 0) {
          start = i;
          h1 = 0x811c9dc5;
          h2 = 0x9747b28c;
        }
        h1 = Math.imul(h1 ^ ch, 0x01000193);
        h2 = Math.imul(h2 ^ ch, 0x5bd1e995);
        h2 ^= h2 >>> 13;
        continue;
      }
      if (start < 0) continue;
      const t = this.typeOf(norm, start, i, h1, h2);
      start = -1;
      const cache = this.cache;
      for (let k = cache.charStart[t]; k < cache.charStart[t + 1]; k++) {
        const col = cache.pool[k];
        if (counts[col]++ === 0) touched[nt++] = col;
      }
      if (cache.len[t] >= minLen) {
        const col = cache.uni[t];
        if (col >= 0 && counts[col]++ === 0) touched[nt++] = col;
        if (m === this.seqIds.length) {
          const ids = new Int32Array(m * 2);
          ids.set(this.seqIds);
          this.seqIds = ids;
          const hs = new Int32Array(m * 2);
          hs.set(this.seqHashes);
          this.seqHashes = hs;
        }
        this.seqIds[m] = cache.id[t];
        this.seqHashes[m] = cache.hash[t];
        m++;
      }
    }
    this.nTouched = nt;
    if (!w) return;
    for (let n = Math.max(2, w.ngramMin); n <= w.ngramMax; n++) {
      const table = this.pairIndex[n];
      if (c.hashing === 0 && !table) continue;
      for (let i = 0; i + n <= m; i++) {
        let col: number;
        if (c.hashing > 0) col = wordGramHash(this.seqHashes, i, n) % c.hashing;
        else {
          let known = true;
          for (let j = i; j < i + n; j++) if (this.seqIds[j] < 0) known = false;
          if (!known) continue;
          gramPair(this.seqIds, i, n, this.pair);
          col = table.get(this.pair[0], this.pair[1]);
          if (col < 0) continue;
        }
        if (counts[col]++ === 0) touched[this.nTouched++] = col;
      }
    }
  }
}
