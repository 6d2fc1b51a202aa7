/**
 * TF-IDF vectorizer: word n-grams plus char n-grams within word boundaries, sublinear tf,
 * smooth idf and l2 norm, with the same formulas as scikit-learn's TfidfVectorizer:
 *   tf' = 1 + ln(tf),  idf = ln((1 + n) / (1 + df)) + 1,  row /= ||row||_2.
 * Per word type the vectorizer caches its unigram column and the columns of its char n-grams
 * (`Entry`), so transforming a document is a loop over integers: char n-grams, the expensive
 * part in scikit-learn, cost one cache lookup per token here.
 */
import type { NamedTensor } from '../models/estimator';
import { InputError } from '../util/errors';
import { normalizeText, tokenize } from '../text/normalize';
import { charGramHash, charWbGrams, tokenHash, wordGramHash } from './ngrams';
import { gramPair, PairTable } from './pair-table';
import { Ticker, type ProgressOptions } from './progress';
import { CsrBuilder, type CsrMatrix } from './sparse';
import { parseTfidfConfig, type TfidfConfig, type TfidfConfigInput } from './tfidf-config';
import { countVocabulary } from './vocab-count';

/** What the vectorizer knows about one word type. */
interface Entry {
  len: number;
  /** Id in the word-n-gram token table, -1 when the token is in no kept word n-gram. */
  id: number;
  /** FNV hash of the token (hashing mode). */
  hash: number;
  /** Column of the unigram, -1 if not a feature. */
  uni: number;
  /** Columns of its char n-grams (repeats are counts). */
  char: Int32Array;
}

export interface Vocabulary {
  word: string[];
  char: string[];
}

/** Serialisable state: `meta` is JSON, the idf vector travels as a tensor. */
export interface TfidfState {
  config: TfidfConfig;
  vocabulary: Vocabulary | null;
  nDocs: number;
}

const CACHE_LIMIT = 1 << 18;

export class TfidfVectorizer {
  readonly config: TfidfConfig;
  private idf: Float32Array | null = null;
  private vocabulary: Vocabulary | null = null;
  private nDocs = 0;
  private wordCols = 0;
  private charCols = 0;
  private tokenIndex = new Map<string, number>();
  /** Unigram column by token id. */
  private uniIndex = new Int32Array(0);
  /** Column of word n-grams (n >= 2) by id pair, one table per n. */
  private pairIndex: PairTable[] = [];
  private readonly pair = new Int32Array(2);
  private charIndex = new Map<string, number>();
  private cache = new Map<string, Entry>();
  // Per-document scratch, sized to the number of features once fitted.
  private acc = new Float64Array(0);
  private touched = new Int32Array(0);
  private nTouched = 0;
  private seqIds = new Int32Array(256);
  private seqHashes = new Int32Array(256);
  private readonly grams: string[] = [];
  private readonly tokens: string[] = [];

  constructor(config: TfidfConfigInput = {}) {
    this.config = parseTfidfConfig(config);
  }

  get fitted(): boolean {
    return this.idf !== null;
  }

  get numFeatures(): number {
    return this.wordCols + this.charCols;
  }

  /** Learns vocabulary (or bucket document frequencies) and idf from the training texts. */
  async fit(texts: string[], opts: ProgressOptions = {}): Promise<this> {
    if (texts.length === 0) throw new InputError('Cannot fit a vectorizer on zero texts');
    const c = this.config;
    this.nDocs = texts.length;
    if (c.hashing > 0) {
      this.vocabulary = null;
      this.buildIndex();
      const df = new Int32Array(this.numFeatures);
      const ticker = new Ticker('featurize:df', texts.length, opts);
      for (let d = 0; d < texts.length; d++) {
        this.accumulate(texts[d]);
        for (let t = 0; t < this.nTouched; t++) {
          df[this.touched[t]]++;
          this.acc[this.touched[t]] = 0;
        }
        if ((d & 255) === 0) await ticker.tick(d);
      }
      ticker.finish();
      this.idf = this.idfFrom(df);
    } else {
      const v = await countVocabulary(texts, c, opts);
      this.vocabulary = { word: v.word, char: v.char };
      this.buildIndex();
      const df = new Int32Array(this.numFeatures);
      df.set(v.wordDf, 0);
      df.set(v.charDf, this.wordCols);
      this.idf = this.idfFrom(df);
    }
    return this;
  }

  async fitTransform(texts: string[], opts: ProgressOptions = {}): Promise<CsrMatrix> {
    await this.fit(texts, opts);
    return this.transformAsync(texts, opts);
  }

  /** Synchronous transform: the prediction path, for batches that take well under a second. */
  transform(texts: string[]): CsrMatrix {
    const b = this.builder(texts.length);
    for (let d = 0; d < texts.length; d++) this.emitRow(texts[d], b);
    return b.build();
  }

  /** Transform with progress events and cancellation, for whole datasets. */
  async transformAsync(texts: string[], opts: ProgressOptions = {}): Promise<CsrMatrix> {
    const b = this.builder(texts.length);
    const ticker = new Ticker('featurize:transform', texts.length, opts);
    for (let d = 0; d < texts.length; d++) {
      this.emitRow(texts[d], b);
      if ((d & 255) === 0) await ticker.tick(d);
    }
    ticker.finish();
    return b.build();
  }

  /** Name of a column: the word n-gram, a char n-gram in brackets (`[ ca]`), or `word#b` / `char#b` when hashing. */
  featureName(col: number): string {
    if (col < this.wordCols) return this.vocabulary ? this.vocabulary.word[col] : `word#${col}`;
    const j = col - this.wordCols;
    return this.vocabulary ? `[${this.vocabulary.char[j]}]` : `char#${j}`;
  }

  /** The idf weight of every column (a copy). */
  idfVector(): Float32Array {
    return new Float32Array(this.requireIdf());
  }

  state(): TfidfState {
    this.requireIdf();
    return { config: this.config, vocabulary: this.vocabulary, nDocs: this.nDocs };
  }

  /** Meta and tensors to embed in a ModelArtifact (`prefix` namespaces the tensor name). */
  toArtifactParts(prefix = 'tfidf'): { meta: TfidfState; tensors: Record<string, NamedTensor> } {
    const idf = this.requireIdf();
    return { meta: this.state(), tensors: { [`${prefix}.idf`]: { dtype: 'F32', shape: [idf.length], data: new Float32Array(idf) } } };
  }

  static fromState(state: TfidfState, idf: Float32Array): TfidfVectorizer {
    const v = new TfidfVectorizer(state.config);
    v.vocabulary = state.vocabulary;
    v.nDocs = state.nDocs;
    v.buildIndex();
    if (idf.length !== v.numFeatures) throw new InputError(`idf has ${idf.length} entries, the vocabulary ${v.numFeatures}`);
    v.idf = new Float32Array(idf);
    return v;
  }

  static fromArtifactParts(meta: TfidfState, tensors: Record<string, NamedTensor>, prefix = 'tfidf'): TfidfVectorizer {
    const t = tensors[`${prefix}.idf`];
    if (!t || t.dtype !== 'F32') throw new InputError(`artifact lacks the F32 tensor ${prefix}.idf`);
    return TfidfVectorizer.fromState(meta, t.data as Float32Array);
  }

  private requireIdf(): Float32Array {
    if (!this.idf) throw new InputError('The vectorizer is not fitted');
    return this.idf;
  }

  private idfFrom(df: Int32Array): Float32Array {
    const c = this.config;
    const out = new Float32Array(df.length);
    const n = this.nDocs;
    for (let j = 0; j < df.length; j++) {
      if (!c.useIdf) out[j] = 1;
      else if (c.smoothIdf) out[j] = Math.log((1 + n) / (1 + df[j])) + 1;
      else out[j] = df[j] > 0 ? Math.log(n / df[j]) + 1 : 0;
    }
    return out;
  }

  /** Column maps from the vocabulary (the same code after fit and after load: identical output). */
  private buildIndex(): void {
    const c = this.config;
    this.tokenIndex.clear();
    this.pairIndex = [];
    const uni: number[] = [];
    this.charIndex.clear();
    this.cache.clear();
    if (c.hashing > 0) {
      this.wordCols = c.word ? c.hashing : 0;
      this.charCols = c.char ? c.hashing : 0;
    } else {
      const v = this.vocabulary ?? { word: [], char: [] };
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
    this.acc = new Float64Array(this.numFeatures);
    this.touched = new Int32Array(this.numFeatures);
    this.nTouched = 0;
  }

  private entry(tok: string): Entry {
    let e = this.cache.get(tok);
    if (e) return e;
    const c = this.config;
    const hashing = c.hashing > 0;
    const hash = hashing ? tokenHash(tok) : 0;
    const id = hashing ? -1 : (this.tokenIndex.get(tok) ?? -1);
    let uni = -1;
    if (c.word && c.word.ngramMin === 1 && tok.length >= c.word.minTokenLength) {
      uni = hashing ? hash % c.hashing : id >= 0 ? this.uniIndex[id] : -1;
    }
    let char = new Int32Array(0);
    if (c.char && tok.length >= c.char.minTokenLength) {
      charWbGrams(tok, c.char.ngramMin, c.char.ngramMax, this.grams);
      const cols: number[] = [];
      for (const g of this.grams) {
        const col = hashing ? this.wordCols + (charGramHash(g) % c.hashing) : (this.charIndex.get(g) ?? -1);
        if (col >= 0) cols.push(col);
      }
      char = Int32Array.from(cols);
    }
    e = { len: tok.length, id, hash, uni, char };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(tok, e);
    return e;
  }

  private add(col: number): void {
    if (this.acc[col] === 0) this.touched[this.nTouched++] = col;
    this.acc[col] += 1;
  }

  /** Raw n-gram counts of one text into `acc`/`touched`. */
  private accumulate(text: string): void {
    const c = this.config;
    this.nTouched = 0;
    const toks = tokenize(normalizeText(text), 1, this.tokens);
    if (toks.length > this.seqIds.length) {
      this.seqIds = new Int32Array(toks.length * 2);
      this.seqHashes = new Int32Array(toks.length * 2);
    }
    const w = c.word;
    let m = 0;
    for (let i = 0; i < toks.length; i++) {
      const e = this.entry(toks[i]);
      const ch = e.char;
      for (let k = 0; k < ch.length; k++) this.add(ch[k]);
      if (w && e.len >= w.minTokenLength) {
        if (e.uni >= 0) this.add(e.uni);
        this.seqIds[m] = e.id;
        this.seqHashes[m] = e.hash;
        m++;
      }
    }
    if (!w) return;
    for (let n = Math.max(2, w.ngramMin); n <= w.ngramMax; n++) {
      const table = this.pairIndex[n];
      if (c.hashing === 0 && !table) continue;
      for (let i = 0; i + n <= m; i++) {
        if (c.hashing > 0) {
          this.add(wordGramHash(this.seqHashes, i, n) % c.hashing);
          continue;
        }
        let known = true;
        for (let j = i; j < i + n; j++) if (this.seqIds[j] < 0) known = false;
        if (!known) continue;
        gramPair(this.seqIds, i, n, this.pair);
        const col = table.get(this.pair[0], this.pair[1]);
        if (col >= 0) this.add(col);
      }
    }
  }

  private builder(rows: number): CsrBuilder {
    this.requireIdf();
    return new CsrBuilder(this.numFeatures, rows * 64);
  }

  /** Weights the accumulated counts (sublinear tf, idf, l2) and appends them as one row. */
  private emitRow(text: string, b: CsrBuilder): void {
    const c = this.config;
    const idf = this.idf!;
    this.accumulate(text);
    const nt = this.nTouched;
    const idx = this.touched;
    let ssWord = 0;
    let ssChar = 0;
    for (let t = 0; t < nt; t++) {
      const col = idx[t];
      const tf = c.binary ? 1 : this.acc[col];
      const v = (c.sublinearTf ? 1 + Math.log(tf) : tf) * idf[col];
      this.acc[col] = v;
      if (col < this.wordCols) ssWord += v * v;
      else ssChar += v * v;
    }
    if (c.norm === 'l2') {
      const byBlock = c.normScope === 'analyzer';
      const sw = byBlock ? ssWord : ssWord + ssChar;
      const sc = byBlock ? ssChar : ssWord + ssChar;
      const iw = sw > 0 ? 1 / Math.sqrt(sw) : 0;
      const ic = sc > 0 ? 1 / Math.sqrt(sc) : 0;
      for (let t = 0; t < nt; t++) this.acc[idx[t]] *= idx[t] < this.wordCols ? iw : ic;
    }
    b.addRow(idx, this.acc.length ? gather(this.acc, idx, nt) : [], nt);
    for (let t = 0; t < nt; t++) this.acc[idx[t]] = 0;
  }
}

let gatherBuf = new Float64Array(1024);
/** acc[idx[0..n)] into a reused buffer (CsrBuilder copies it). */
function gather(acc: Float64Array, idx: Int32Array, n: number): Float64Array {
  if (gatherBuf.length < n) gatherBuf = new Float64Array(n * 2);
  for (let t = 0; t < n; t++) gatherBuf[t] = acc[idx[t]];
  return gatherBuf;
}
