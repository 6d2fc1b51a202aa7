/**
 * TF-IDF vectorizer: word n-grams plus char n-grams within word boundaries, sublinear tf,
 * smooth idf and l2 norm, with the same formulas as scikit-learn's TfidfVectorizer:
 *   tf' = 1 + ln(tf),  idf = ln((1 + n) / (1 + df)) + 1,  row /= ||row||_2.
 * Counting is TfidfIndex's job (tfidf-index.ts); this class learns idf, weights rows and
 * carries the state that saved models need.
 */
import type { NamedTensor } from '../models/estimator';
import { InputError } from '../util/errors';
import { Ticker, type ProgressOptions } from './progress';
import { CsrBuilder, type CsrMatrix } from './sparse';
import { parseTfidfConfig, type TfidfConfig, type TfidfConfigInput } from './tfidf-config';
import { TfidfIndex, type Vocabulary } from './tfidf-index';
import { countVocabulary, type RecordedDocs, type TypeColumns } from './vocab-count';

export type { Vocabulary } from './tfidf-index';

/** Serialisable state: `meta` is JSON, the idf vector travels as a tensor. */
export interface TfidfState {
  config: TfidfConfig;
  vocabulary: Vocabulary | null;
  nDocs: number;
}

export class TfidfVectorizer {
  readonly config: TfidfConfig;
  private idf: Float32Array | null = null;
  private vocabulary: Vocabulary | null = null;
  private nDocs = 0;
  /** Built by fit or load; until then the vectorizer has no columns. */
  private index: TfidfIndex | null = null;
  /** Weighted values of the current row, in `touched` order (before the l2 scale). */
  private vals = new Float64Array(256);
  /** l2 scales of the word and char blocks of the current row. */
  private scaleWord = 1;
  private scaleChar = 1;

  constructor(config: TfidfConfigInput = {}) {
    this.config = parseTfidfConfig(config);
  }

  private get wordCols(): number {
    return this.index?.wordCols ?? 0;
  }

  /** The index of a fitted vectorizer (every caller has checked `idf` first). */
  private get ix(): TfidfIndex {
    return this.index!;
  }

  get fitted(): boolean {
    return this.idf !== null;
  }

  get numFeatures(): number {
    return this.index?.numFeatures ?? 0;
  }

  /** Column ranges of the analyzers in use: word block first, then char (empty ones left out). */
  blocks(): { from: number; to: number }[] {
    const out = [];
    if (this.wordCols > 0) out.push({ from: 0, to: this.wordCols });
    if (this.index && this.index.charCols > 0) out.push({ from: this.wordCols, to: this.numFeatures });
    return out;
  }

  /** Learns vocabulary (or bucket document frequencies) and idf from the training texts. */
  async fit(texts: string[], opts: ProgressOptions = {}): Promise<this> {
    await this.learn(texts, opts, false);
    return this;
  }

  /** fit(); with `record`, also every text's kept n-gram columns (vocabulary mode only). */
  private async learn(texts: string[], opts: ProgressOptions, record: boolean): Promise<{ docs: RecordedDocs; types: TypeColumns } | undefined> {
    if (texts.length === 0) throw new InputError('Cannot fit a vectorizer on zero texts');
    const c = this.config;
    this.nDocs = texts.length;
    if (c.hashing > 0) {
      this.vocabulary = null;
      const ix = (this.index = new TfidfIndex(c, null));
      const df = new Int32Array(this.numFeatures);
      const ticker = new Ticker('featurize:df', texts.length, opts);
      for (let d = 0; d < texts.length; d++) {
        ix.accumulate(texts[d]);
        for (let t = 0; t < ix.nTouched; t++) {
          df[ix.touched[t]]++;
          ix.counts[ix.touched[t]] = 0;
        }
        if ((d & 255) === 0) await ticker.tick(d);
      }
      ticker.finish();
      this.idf = this.idfFrom(df);
      return undefined;
    }
    const v = await countVocabulary(texts, c, opts, record);
    this.vocabulary = { word: v.word, char: v.char };
    this.index = new TfidfIndex(c, this.vocabulary);
    const df = new Int32Array(this.numFeatures);
    df.set(v.wordDf, 0);
    df.set(v.charDf, this.wordCols);
    this.idf = this.idfFrom(df);
    return v.docs && v.types ? { docs: v.docs, types: v.types } : undefined;
  }

  /**
   * fit + transform of the same texts. In vocabulary mode the counting pass records each
   * text's n-gram columns, so the rows are weighted from those records instead of a second
   * normalise-tokenise-lookup pass; the rows are identical to transform()'s.
   */
  async fitTransform(texts: string[], opts: ProgressOptions = {}): Promise<CsrMatrix> {
    const learned = await this.learn(texts, opts, true);
    if (!learned) return this.transformAsync(texts, opts);
    const docs = learned.docs;
    this.ix.prime(learned.types);
    const b = this.builder(texts.length);
    const ix = this.ix;
    const ticker = new Ticker('featurize:transform', texts.length, opts);
    for (let d = 0; d < texts.length; d++) {
      let nt = 0;
      for (let p = docs.offsets[d]; p < docs.offsets[d + 1]; p++) {
        const col = docs.cols[p];
        if (ix.counts[col]++ === 0) ix.touched[nt++] = col;
      }
      ix.nTouched = nt;
      this.appendRow(this.weighCounted(), b);
      if ((d & 1023) === 0) await ticker.tick(d);
    }
    ticker.finish();
    return b.build();
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
    return this.index ? this.index.featureName(col) : '';
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
    v.index = new TfidfIndex(v.config, v.vocabulary);
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

  private builder(rows: number): CsrBuilder {
    this.requireIdf();
    return new CsrBuilder(this.numFeatures, rows * 64);
  }

  /**
   * Counts and weights one text: `vals[t]` is the tf-idf of column `touched[t]` before the l2
   * scale of its block (`scaleWord` / `scaleChar`); counts are zero again afterwards.
   */
  private weigh(text: string): number {
    this.ix.accumulate(text);
    return this.weighCounted();
  }

  /** weigh() of the counts already in the index. */
  private weighCounted(): number {
    const c = this.config;
    const idf = this.idf!;
    const ix = this.ix;
    const nt = ix.nTouched;
    const idx = ix.touched;
    const counts = ix.counts;
    if (this.vals.length < nt) this.vals = new Float64Array(nt * 2);
    const vals = this.vals;
    const wordCols = ix.wordCols;
    const binary = c.binary;
    const sublinear = c.sublinearTf;
    let ssWord = 0;
    let ssChar = 0;
    for (let t = 0; t < nt; t++) {
      const col = idx[t];
      const tf = binary ? 1 : counts[col];
      counts[col] = 0;
      // 1 + ln(1) is 1: most n-grams occur once, and the log is the costly part.
      const v = (tf === 1 ? 1 : sublinear ? 1 + Math.log(tf) : tf) * idf[col];
      vals[t] = v;
      if (col < wordCols) ssWord += v * v;
      else ssChar += v * v;
    }
    this.scaleWord = 1;
    this.scaleChar = 1;
    if (c.norm === 'l2') {
      const byBlock = c.normScope === 'analyzer';
      const sw = byBlock ? ssWord : ssWord + ssChar;
      const sc = byBlock ? ssChar : ssWord + ssChar;
      this.scaleWord = sw > 0 ? 1 / Math.sqrt(sw) : 0;
      this.scaleChar = sc > 0 ? 1 / Math.sqrt(sc) : 0;
    }
    return nt;
  }

  /** Appends the weighted row of one text to `b`. */
  private emitRow(text: string, b: CsrBuilder): void {
    this.appendRow(this.weigh(text), b);
  }

  /** Appends the row just weighed (nt entries), l2-scaled, to `b`. */
  private appendRow(nt: number, b: CsrBuilder): void {
    const cols = this.ix.touched;
    for (let t = 0; t < nt; t++) this.vals[t] *= cols[t] < this.wordCols ? this.scaleWord : this.scaleChar;
    b.addRow(cols, this.vals, nt);
  }

  /**
   * The weighted row of one text into the caller's buffers, as float32 like a CsrMatrix row,
   * so scoring it gives exactly what transform() would. The prediction path uses it to score
   * text by text without building a matrix. Returns the number of entries; the buffers must
   * hold numFeatures entries (or at least the row's length).
   */
  rowInto(text: string, cols: Int32Array, vals: Float32Array): number {
    this.requireIdf();
    const nt = this.weigh(text);
    const idx = this.ix.touched;
    const wordCols = this.wordCols;
    for (let t = 0; t < nt; t++) {
      const col = idx[t];
      cols[t] = col;
      vals[t] = this.vals[t] * (col < wordCols ? this.scaleWord : this.scaleChar);
    }
    return nt;
  }
}
