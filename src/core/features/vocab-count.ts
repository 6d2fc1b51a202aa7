/**
 * The fitting pass of the vocabulary: counts document and term frequencies of every word and
 * char n-gram, then keeps the best ones per analyzer (min/max df, then the `maxFeatures`
 * highest term frequencies, as scikit-learn's `max_features`). Tokens are interned to ids
 * and char n-grams are computed once per word type, so the per-document loop allocates no
 * n-gram strings at all; strings are only built for the n-grams that are kept.
 */
import { normalizeText, tokenize } from '../text/normalize';
import { charWbGrams } from './ngrams';
import { gramPair, PairTable } from './pair-table';
import { Ticker, type ProgressOptions } from './progress';
import type { AnalyzerConfig, TfidfConfig } from './tfidf-config';

/** Growable typed array of counters indexed by n-gram id. */
class Counts {
  df = new Int32Array(1024);
  tf = new Float64Array(1024);
  last = new Int32Array(1024).fill(-1);
  size = 0;
  add(): number {
    if (this.size === this.df.length) {
      const cap = this.size * 2;
      const df = new Int32Array(cap);
      df.set(this.df);
      const tf = new Float64Array(cap);
      tf.set(this.tf);
      const last = new Int32Array(cap).fill(-1);
      last.set(this.last);
      this.df = df;
      this.tf = tf;
      this.last = last;
    }
    return this.size++;
  }
  /** Counts one occurrence of n-gram `g` in document `doc`. */
  hit(g: number, doc: number): void {
    this.tf[g] += 1;
    if (this.last[g] !== doc) {
      this.last[g] = doc;
      this.df[g] += 1;
    }
  }
}

export interface SelectedVocabulary {
  word: string[];
  wordDf: Int32Array;
  char: string[];
  charDf: Int32Array;
  nDocs: number;
}

/**
 * Ids kept by one analyzer, ordered by term frequency (descending), ties by first appearance:
 * deterministic for a given corpus order. Sorting packed float keys avoids a comparator.
 */
function select(c: Counts, a: AnalyzerConfig, nDocs: number): Int32Array {
  const maxDf = a.maxDf * nDocs;
  let span = 1;
  while (span < c.size) span *= 2;
  const keys = new Float64Array(c.size);
  let k = 0;
  let maxTf = 0;
  for (let g = 0; g < c.size; g++) if (c.tf[g] > maxTf) maxTf = c.tf[g];
  for (let g = 0; g < c.size; g++) {
    if (c.df[g] < a.minDf || c.df[g] > maxDf) continue;
    keys[k++] = (maxTf - c.tf[g]) * span + g;
  }
  const sorted = keys.subarray(0, k).sort();
  const keep = a.maxFeatures === null ? k : Math.min(k, a.maxFeatures);
  const out = new Int32Array(keep);
  for (let i = 0; i < keep; i++) out[i] = sorted[i] % span;
  return out;
}

export async function countVocabulary(texts: string[], cfg: TfidfConfig, opts: ProgressOptions = {}): Promise<SelectedVocabulary> {
  const tokenIds = new Map<string, number>();
  const tokenStr: string[] = [];
  const charOf: (Int32Array | undefined)[] = [];
  // Unigram id by token id (-1: not seen as a word token yet), longer n-grams by id pair.
  let uniGram = new Int32Array(1024).fill(-1);
  const pairTables: PairTable[] = [];
  const pair = new Int32Array(2);
  const wordCounts = new Counts();
  // Token ids of each word n-gram, n slots from wordDefStart[g], to rebuild its string later.
  let wordDefs = new Int32Array(4096);
  let wordDefLen = 0;
  const wordDefStart: number[] = [];
  const wordDefN: number[] = [];
  const charKeys = new Map<string, number>();
  const charStr: string[] = [];
  const charCounts = new Counts();
  const w = cfg.word;
  const ch = cfg.char;
  let seq = new Int32Array(256);
  const gramScratch: string[] = [];
  const ticker = new Ticker('featurize:vocabulary', texts.length, opts);

  for (let d = 0; d < texts.length; d++) {
    const toks = tokenize(normalizeText(texts[d]), 1);
    if (toks.length > seq.length) seq = new Int32Array(toks.length * 2);
    let m = 0;
    for (const t of toks) {
      let id = tokenIds.get(t);
      if (id === undefined) {
        id = tokenStr.length;
        tokenIds.set(t, id);
        tokenStr.push(t);
        if (id >= uniGram.length) {
          const grown = new Int32Array(uniGram.length * 2).fill(-1);
          grown.set(uniGram);
          uniGram = grown;
        }
      }
      if (ch && t.length >= ch.minTokenLength) {
        let grams = charOf[id];
        if (!grams) {
          charWbGrams(t, ch.ngramMin, ch.ngramMax, gramScratch);
          grams = new Int32Array(gramScratch.length);
          for (let i = 0; i < gramScratch.length; i++) {
            let g = charKeys.get(gramScratch[i]);
            if (g === undefined) {
              g = charCounts.add();
              charKeys.set(gramScratch[i], g);
              charStr.push(gramScratch[i]);
            }
            grams[i] = g;
          }
          charOf[id] = grams;
        }
        for (let i = 0; i < grams.length; i++) charCounts.hit(grams[i], d);
      }
      if (w && t.length >= w.minTokenLength) seq[m++] = id;
    }
    if (w) {
      for (let n = w.ngramMin; n <= w.ngramMax; n++) {
        const table = n > 1 ? (pairTables[n] ??= new PairTable(1 << 16)) : null;
        for (let i = 0; i + n <= m; i++) {
          let g: number;
          if (table) {
            gramPair(seq, i, n, pair);
            g = table.get(pair[0], pair[1]);
          } else g = uniGram[seq[i]];
          if (g < 0) {
            g = wordCounts.add();
            if (table) table.set(pair[0], pair[1], g);
            else uniGram[seq[i]] = g;
            if (wordDefLen + n > wordDefs.length) {
              const grown = new Int32Array(wordDefs.length * 2 + n);
              grown.set(wordDefs);
              wordDefs = grown;
            }
            wordDefStart.push(wordDefLen);
            wordDefN.push(n);
            for (let j = 0; j < n; j++) wordDefs[wordDefLen++] = seq[i + j];
          }
          wordCounts.hit(g, d);
        }
      }
    }
    if ((d & 255) === 0) await ticker.tick(d);
  }
  ticker.finish();

  const nDocs = texts.length;
  const out: SelectedVocabulary = { word: [], wordDf: new Int32Array(0), char: [], charDf: new Int32Array(0), nDocs };
  if (w) {
    const keep = select(wordCounts, w, nDocs);
    out.wordDf = new Int32Array(keep.length);
    const parts: string[] = [];
    for (let i = 0; i < keep.length; i++) {
      const g = keep[i];
      parts.length = 0;
      for (let j = 0; j < wordDefN[g]; j++) parts.push(tokenStr[wordDefs[wordDefStart[g] + j]]);
      out.word.push(parts.join(' '));
      out.wordDf[i] = wordCounts.df[g];
    }
  }
  if (ch) {
    const keep = select(charCounts, ch, nDocs);
    out.charDf = new Int32Array(keep.length);
    for (let i = 0; i < keep.length; i++) {
      out.char.push(charStr[keep[i]]);
      out.charDf[i] = charCounts.df[keep[i]];
    }
  }
  return out;
}
