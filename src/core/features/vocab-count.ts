/**
 * The fitting pass of the vocabulary: counts document and term frequencies of every word and
 * char n-gram, then keeps the best ones per analyzer (min/max df, then the `maxFeatures`
 * highest term frequencies, as scikit-learn's `max_features`). Tokens are interned to ids
 * and char n-grams are computed once per word type, so the per-document loop allocates no
 * n-gram strings at all; strings are only built for the n-grams that are kept. On request
 * the pass also records each document's n-grams (as columns once the selection is known) and
 * each word type's columns, which lets fitTransform skip a second pass over the texts.
 */
import { normalizeText, tokenize } from '../text/normalize';
import { charWbGrams } from './ngrams';
import { gramPair, PairTable } from './pair-table';
import { Ticker, type ProgressOptions } from './progress';
import type { AnalyzerConfig, TfidfConfig } from './tfidf-config';

/**
 * Growable counters indexed by n-gram id, interleaved as [tf, df, last document] per id: a
 * hit touches one cache line instead of three (the counting pass is bound by those misses).
 */
class Counts {
  slots = new Int32Array(3 * 1024);
  size = 0;
  add(): number {
    if (3 * this.size === this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[3 * this.size + 2] = -1;
    return this.size++;
  }
  tf(g: number): number {
    return this.slots[3 * g];
  }
  df(g: number): number {
    return this.slots[3 * g + 1];
  }
  /** Counts one occurrence of n-gram `g` in document `doc`. */
  hit(g: number, doc: number): void {
    const o = 3 * g;
    const s = this.slots;
    s[o] += 1;
    if (s[o + 2] !== doc) {
      s[o + 2] = doc;
      s[o + 1] += 1;
    }
  }
}

export interface SelectedVocabulary {
  word: string[];
  wordDf: Int32Array;
  char: string[];
  charDf: Int32Array;
  nDocs: number;
  /** With `record`: every document's n-grams as columns, in the order transform() counts them. */
  docs?: RecordedDocs;
  /** With `record`: the columns of every word type seen, to prime the transform cache. */
  types?: TypeColumns;
}

/**
 * Word type t is `tokens[t]`; its unigram column is `uni[t]` (-1: none) and its char n-gram
 * columns are `charCols[charStart[t] .. charStart[t+1])`, kept ones only.
 */
export interface TypeColumns {
  tokens: string[];
  uni: Int32Array;
  charStart: Int32Array;
  charCols: Int32Array;
}

/**
 * Document d's n-grams are cols[offsets[d] .. offsets[d+1]) (kept ones only), so the fitting
 * pass can weight the training rows without normalising and tokenising every text again.
 */
export interface RecordedDocs {
  offsets: Int32Array;
  cols: Int32Array;
}

/** Growable list of int32. */
class IntList {
  data = new Int32Array(1 << 16);
  size = 0;
  push(x: number): void {
    if (this.size === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = x;
  }
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
  for (let g = 0; g < c.size; g++) if (c.tf(g) > maxTf) maxTf = c.tf(g);
  for (let g = 0; g < c.size; g++) {
    if (c.df(g) < a.minDf || c.df(g) > maxDf) continue;
    keys[k++] = (maxTf - c.tf(g)) * span + g;
  }
  const sorted = keys.subarray(0, k).sort();
  const keep = a.maxFeatures === null ? k : Math.min(k, a.maxFeatures);
  const out = new Int32Array(keep);
  for (let i = 0; i < keep; i++) out[i] = sorted[i] % span;
  return out;
}

export async function countVocabulary(texts: string[], cfg: TfidfConfig, opts: ProgressOptions = {}, record = false): Promise<SelectedVocabulary> {
  // Recorded n-gram ids per document: word n-gram ids as they are, char n-gram g as -1 - g.
  const rec = record ? new IntList() : null;
  const recStart = record ? new Int32Array(texts.length + 1) : null;
  const tokenIds = new Map<string, number>();
  const tokenStr: string[] = [];
  const charOf: (Int32Array | undefined)[] = [];
  // Unigram id by token id (-1: not seen as a word token yet), longer n-grams by id pair.
  let uniGram = new Int32Array(1024).fill(-1);
  const pairTables: PairTable[] = [];
  const pair = new Int32Array(2);
  const wordCounts = new Counts();
  // Token ids of each word n-gram, n slots from wordDefStart[g], to rebuild its string later.
  const wordDefs = new IntList();
  const wordDefStart: number[] = [];
  const wordDefN: number[] = [];
  const charKeys = new Map<string, number>();
  const charStr: string[] = [];
  const charCounts = new Counts();
  const w = cfg.word;
  const ch = cfg.char;
  let seq = new Int32Array(256);
  /** Remembers the token ids of a new word n-gram, to build its string if it is kept. */
  const defineWordGram = (ids: Int32Array, start: number, n: number): void => {
    wordDefStart.push(wordDefs.size);
    wordDefN.push(n);
    for (let j = 0; j < n; j++) wordDefs.push(ids[start + j]);
  };
  const gramScratch: string[] = [];
  const ticker = new Ticker('featurize:vocabulary', texts.length, opts);

  for (let d = 0; d < texts.length; d++) {
    const toks = tokenize(normalizeText(texts[d], { clean: cfg.clean }), 1);
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
        if (rec) for (let i = 0; i < grams.length; i++) rec.push(-1 - grams[i]);
      }
      if (w && t.length >= w.minTokenLength) {
        seq[m++] = id;
        // Unigrams are counted here, per token, so that the recorded order is transform()'s
        // (each token's char n-grams, then its unigram). Ids are created in the same order
        // as a separate unigram pass would, so ties in the selection break the same way.
        if (w.ngramMin === 1) {
          let g = uniGram[id];
          if (g < 0) {
            g = wordCounts.add();
            uniGram[id] = g;
            defineWordGram(seq, m - 1, 1);
          }
          wordCounts.hit(g, d);
          rec?.push(g);
        }
      }
    }
    if (w) {
      for (let n = Math.max(2, w.ngramMin); n <= w.ngramMax; n++) {
        const table = (pairTables[n] ??= new PairTable(1 << 16));
        for (let i = 0; i + n <= m; i++) {
          gramPair(seq, i, n, pair);
          let g = table.get(pair[0], pair[1]);
          if (g < 0) {
            g = wordCounts.add();
            table.set(pair[0], pair[1], g);
            defineWordGram(seq, i, n);
          }
          wordCounts.hit(g, d);
          rec?.push(g);
        }
      }
    }
    if (recStart) recStart[d + 1] = rec!.size;
    if ((d & 255) === 0) await ticker.tick(d);
  }
  ticker.finish();

  const nDocs = texts.length;
  const out: SelectedVocabulary = { word: [], wordDf: new Int32Array(0), char: [], charDf: new Int32Array(0), nDocs };
  const wordCol = new Int32Array(wordCounts.size).fill(-1);
  const charCol = new Int32Array(charCounts.size).fill(-1);
  if (w) {
    const keep = select(wordCounts, w, nDocs);
    for (let i = 0; i < keep.length; i++) wordCol[keep[i]] = i;
    out.wordDf = new Int32Array(keep.length);
    const parts: string[] = [];
    for (let i = 0; i < keep.length; i++) {
      const g = keep[i];
      parts.length = 0;
      for (let j = 0; j < wordDefN[g]; j++) parts.push(tokenStr[wordDefs.data[wordDefStart[g] + j]]);
      out.word.push(parts.join(' '));
      out.wordDf[i] = wordCounts.df(g);
    }
  }
  if (ch) {
    const keep = select(charCounts, ch, nDocs);
    for (let i = 0; i < keep.length; i++) charCol[keep[i]] = out.word.length + i;
    out.charDf = new Int32Array(keep.length);
    for (let i = 0; i < keep.length; i++) {
      out.char.push(charStr[keep[i]]);
      out.charDf[i] = charCounts.df(keep[i]);
    }
  }
  if (rec && recStart) {
    // Ids become columns; n-grams that were not kept drop out, as transform() skips them.
    const cols = new Int32Array(rec.size);
    const offsets = new Int32Array(texts.length + 1);
    let q = 0;
    for (let d = 0; d < texts.length; d++) {
      for (let p = recStart[d]; p < recStart[d + 1]; p++) {
        const g = rec.data[p];
        const col = g >= 0 ? wordCol[g] : charCol[-1 - g];
        if (col >= 0) cols[q++] = col;
      }
      offsets[d + 1] = q;
    }
    out.docs = { offsets, cols: cols.subarray(0, q) };
    out.types = typeColumns(tokenStr, uniGram, charOf, wordCol, charCol);
  }
  return out;
}

/** Columns of every word type, from the counting pass's ids and the id -> column maps. */
function typeColumns(tokens: string[], uniGram: Int32Array, charOf: (Int32Array | undefined)[], wordCol: Int32Array, charCol: Int32Array): TypeColumns {
  const uni = new Int32Array(tokens.length);
  const charStart = new Int32Array(tokens.length + 1);
  let total = 0;
  for (let t = 0; t < tokens.length; t++) total += charOf[t]?.length ?? 0;
  const charCols = new Int32Array(total);
  let q = 0;
  for (let t = 0; t < tokens.length; t++) {
    uni[t] = uniGram[t] >= 0 ? wordCol[uniGram[t]] : -1;
    const grams = charOf[t];
    if (grams) {
      for (let i = 0; i < grams.length; i++) {
        const col = charCol[grams[i]];
        if (col >= 0) charCols[q++] = col;
      }
    }
    charStart[t + 1] = q;
  }
  return { tokens, uni, charStart, charCols: charCols.subarray(0, q) };
}
