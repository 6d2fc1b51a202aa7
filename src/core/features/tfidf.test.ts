import { describe, expect, it } from 'vitest';
import { TfidfVectorizer } from './tfidf';
import { denseRow } from './sparse';
import { charWbGrams } from './ngrams';
import { CancelledError } from '../util/errors';

const corpus = ['The cat sat', 'the dog sat', 'the cat cat'];

describe('TfidfVectorizer (sklearn formulas)', () => {
  it('matches hand-computed sublinear tf, smooth idf and l2 norm', async () => {
    const v = new TfidfVectorizer({ word: { ngramMin: 1, ngramMax: 1, maxFeatures: null }, char: null });
    const X = await v.fitTransform(corpus);
    const col = (name: string): number => [...Array(v.numFeatures).keys()].find((j) => v.featureName(j) === name)!;
    // n = 3; df: the 3, cat 2, sat 2, dog 1; idf = ln((1+n)/(1+df)) + 1
    const idf = { the: 1, cat: Math.log(4 / 3) + 1, sat: Math.log(4 / 3) + 1, dog: Math.log(2) + 1 };
    const expectRow = (i: number, raw: Record<string, number>): void => {
      const norm = Math.sqrt(Object.values(raw).reduce((s, x) => s + x * x, 0));
      const row = denseRow(X, i);
      for (const [w, x] of Object.entries(raw)) expect(row[col(w)]).toBeCloseTo(x / norm, 6);
      expect(row.reduce((s, x) => s + (x !== 0 ? 1 : 0), 0)).toBe(Object.keys(raw).length);
    };
    expectRow(0, { the: idf.the, cat: idf.cat, sat: idf.sat });
    expectRow(1, { the: idf.the, dog: idf.dog, sat: idf.sat });
    // tf(cat) = 2 -> 1 + ln 2
    expectRow(2, { the: idf.the, cat: (1 + Math.log(2)) * idf.cat });
    expect(Array.from(v.idfVector()).sort()).toEqual(Array.from(Float32Array.from([1, idf.cat, idf.sat, idf.dog])).sort());
  });

  it('builds bigrams and caps features by term frequency', async () => {
    const v = new TfidfVectorizer({ word: { ngramMin: 1, ngramMax: 2, maxFeatures: 3 }, char: null });
    await v.fit(corpus);
    const names = [...Array(v.numFeatures).keys()].map((j) => v.featureName(j));
    // tf: the 3, cat 3, sat 2, the cat 2, ...: the top three by frequency (ties by first appearance)
    expect(names).toEqual(['the', 'cat', 'sat']);
    const all = new TfidfVectorizer({ word: { maxFeatures: null, minDf: 2 }, char: null });
    await all.fit(corpus);
    expect(new Set([...Array(all.numFeatures).keys()].map((j) => all.featureName(j)))).toEqual(new Set(['the', 'cat', 'sat', 'the cat']));
  });

  it('char_wb n-grams follow sklearn (padding, short words once)', () => {
    expect(charWbGrams('ab', 3, 5)).toEqual([' ab', 'ab ', ' ab ']);
    expect(charWbGrams('a', 3, 5)).toEqual([' a ']);
    expect(charWbGrams('abc', 2, 3)).toEqual([' a', 'ab', 'bc', 'c ', ' ab', 'abc', 'bc ']);
  });

  it('l2 normalises each analyzer block separately by default', async () => {
    const v = new TfidfVectorizer({});
    const X = await v.fitTransform(corpus);
    const row = denseRow(X, 0);
    let word = 0;
    let char = 0;
    for (let j = 0; j < row.length; j++) {
      if (v.featureName(j).startsWith('[')) char += row[j] ** 2;
      else word += row[j] ** 2;
    }
    expect(word).toBeCloseTo(1, 5);
    expect(char).toBeCloseTo(1, 5);
  });

  it('hashing mode is deterministic and needs no vocabulary', async () => {
    const a = new TfidfVectorizer({ hashing: 1024 });
    const b = new TfidfVectorizer({ hashing: 1024 });
    const Xa = await a.fitTransform(corpus);
    const Xb = await b.fitTransform(corpus);
    expect(Xa.cols).toBe(2048);
    expect(Array.from(Xa.values)).toEqual(Array.from(Xb.values));
    expect(a.state().vocabulary).toBeNull();
  });

  it('restores from its state and transforms identically, unseen words included', async () => {
    const v = new TfidfVectorizer({});
    await v.fit(corpus);
    const { meta, tensors } = v.toArtifactParts();
    const w = TfidfVectorizer.fromArtifactParts(JSON.parse(JSON.stringify(meta)), tensors);
    const texts = ['the cat sat on a catamaran', 'dogs and cats'];
    const A = v.transform(texts);
    const B = w.transform(texts);
    expect(Array.from(B.indices)).toEqual(Array.from(A.indices));
    expect(Array.from(B.values)).toEqual(Array.from(A.values));
  });

  it('fitTransform rows equal transform rows; rowInto equals a transform row', async () => {
    const texts = ['The cat sat on the mat.', 'Café au lait in München, naïve résumé', 'x-ray 42 ab-cd quot; it#39;s', '', 'cat cat cat sat sat'];
    for (const cfg of [
      {},
      { word: { ngramMin: 1, ngramMax: 3, maxFeatures: 5 }, char: { ngramMin: 2, ngramMax: 3, maxFeatures: 7 } },
      { word: { ngramMin: 2, ngramMax: 2 }, char: null },
    ]) {
      const v = new TfidfVectorizer(cfg);
      const X = await v.fitTransform(texts);
      const T = v.transform(texts);
      expect(Array.from(X.indptr)).toEqual(Array.from(T.indptr));
      expect(Array.from(X.indices)).toEqual(Array.from(T.indices));
      expect(Array.from(X.values)).toEqual(Array.from(T.values));
      const cols = new Int32Array(v.numFeatures);
      const vals = new Float32Array(v.numFeatures);
      for (let i = 0; i < texts.length; i++) {
        const n = v.rowInto(texts[i], cols, vals);
        expect(Array.from(cols.subarray(0, n))).toEqual(Array.from(T.indices.subarray(T.indptr[i], T.indptr[i + 1])));
        expect(Array.from(vals.subarray(0, n))).toEqual(Array.from(T.values.subarray(T.indptr[i], T.indptr[i + 1])));
      }
    }
  });

  it('tokenises like text/normalize: unicode letters stay in words, other characters split', async () => {
    const v = new TfidfVectorizer({ word: { ngramMin: 1, ngramMax: 1, maxFeatures: null, minTokenLength: 1 }, char: null });
    await v.fit(['münchen café x-ray']);
    const names = new Set([...Array(v.numFeatures).keys()].map((j) => v.featureName(j)));
    expect(names).toEqual(new Set(['münchen', 'café', 'x', 'ray']));
    // A known type seen again in another text (cached by its hash) maps to the same column.
    const X = v.transform(['ray x', 'Café', 'unknown']);
    expect(denseRow(X, 0).filter((x) => x > 0)).toHaveLength(2);
    expect(v.featureName(X.indices[X.indptr[1]])).toBe('café');
    expect(X.indptr[3] - X.indptr[2]).toBe(0);
  });

  it('clean: false keeps the feed markup as tokens, and the rows stay identical between fit, transform and rowInto', async () => {
    const texts = ['Apple &lt;b&gt;beats&lt;/b&gt; it #39;s quot;rivals quot;', 'plain text'];
    const names = async (clean: boolean): Promise<Set<string>> => {
      const v = new TfidfVectorizer({ word: { ngramMin: 1, ngramMax: 1, maxFeatures: null, minTokenLength: 1 }, char: null, clean });
      await v.fit(texts);
      return new Set([...Array(v.numFeatures).keys()].map((j) => v.featureName(j)));
    };
    expect(await names(true)).toEqual(new Set(['apple', 'beats', 'it', 's', 'rivals', 'plain', 'text']));
    expect(await names(false)).toEqual(new Set(['apple', 'lt', 'b', 'gt', 'beats', 'it', '39', 's', 'quot', 'rivals', 'plain', 'text']));
    const v = new TfidfVectorizer({ clean: false });
    const X = await v.fitTransform(texts);
    const T = v.transform(texts);
    expect(Array.from(T.indices)).toEqual(Array.from(X.indices));
    expect(Array.from(T.values)).toEqual(Array.from(X.values));
    const cols = new Int32Array(v.numFeatures);
    const vals = new Float32Array(v.numFeatures);
    const n = v.rowInto(texts[0], cols, vals);
    expect(Array.from(cols.subarray(0, n))).toEqual(Array.from(T.indices.subarray(0, T.indptr[1])));
  });

  it('stops when the signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(new TfidfVectorizer({}).fit(corpus, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('rejects unknown config fields', () => {
    expect(() => new TfidfVectorizer({ word: { ngrams: 2 } } as never)).toThrow(/ngrams/);
  });
});
