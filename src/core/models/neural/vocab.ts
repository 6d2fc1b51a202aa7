/**
 * fastText's dictionary: words seen at least `minCount` times get ids 1..V (0 is padding),
 * word bigrams are hashed into `buckets` extra rows after them (Joulin et al. 2016).
 */
import { normalizeAndTokenize } from '../../text';
import { fnv1a } from '../../util/hash';
import { bigramBucket, fastTextHash } from './fasttext-hash';
import { rankWords } from './word-vocab';

export interface VocabConfig {
  /**
   * 'words': the lab's normaliser (HTML artefacts decoded, letters and digits only);
   * 'fasttext': the preprocessing of fastText's AG News recipe (lower-case, punctuation
   * marks as tokens, everything else split on whitespace only), which keeps more signal.
   */
  tokenizer?: 'words' | 'fasttext';
  minCount: number;
  maxWords: number;
  buckets: number;
  wordNgrams: 1 | 2;
  maxTokens: number;
}

const PUNCT = /([.,!?"():;'])/g;
/** Python's str.split() whitespace, which builds the fastText peer's input (JS \s differs: no \x1c-\x1f or \x85, plus \ufeff). */
// eslint-disable-next-line no-control-regex -- the file separators \x1c-\x1f are Python whitespace
const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
export const fastTextTokens = (t: string): string[] =>
  t
    .replace(/\\n/g, ' ')
    .toLowerCase()
    .replace(PUNCT, ' $1 ')
    .split(PY_SPACE)
    .filter(Boolean)
    // fastText appends an end-of-line token to every line; it also joins the last bigram.
    .concat('</s>');

export function tokenizerFor(cfg: VocabConfig): (t: string) => string[] {
  return cfg.tokenizer === 'fasttext' ? fastTextTokens : (t) => normalizeAndTokenize(t);
}

/**
 * How word bigrams map to buckets: 'fasttext' is fastText's own hashing; 'fnv1a-pair' is what
 * models saved before it used, kept so that they still predict as they were trained.
 */
export type BigramHash = 'fasttext' | 'fnv1a-pair';

export class Dictionary {
  private index: Map<string, number>;
  constructor(
    readonly words: string[],
    readonly cfg: VocabConfig,
    readonly hash: BigramHash = 'fasttext',
  ) {
    this.index = new Map(words.map((w, i) => [w, i + 1]));
  }

  static build(texts: string[], cfg: VocabConfig): Dictionary {
    return Dictionary.fromTokens(texts.map(tokenizerFor(cfg)), cfg);
  }

  /** From texts already split by `tokenize`, so a caller that also encodes them splits each text once. */
  static fromTokens(tokens: string[][], cfg: VocabConfig): Dictionary {
    return new Dictionary(
      rankWords(tokens, (t) => t, cfg.minCount, cfg.maxWords),
      cfg,
    );
  }

  tokenize(text: string): string[] {
    return tokenizerFor(this.cfg)(text);
  }

  /** Rows in the embedding table: padding + words + bigram buckets. */
  get rows(): number {
    return 1 + this.words.length + (this.cfg.wordNgrams > 1 ? this.cfg.buckets : 0);
  }

  encode(text: string): Int32Array {
    return this.encodeTokens(this.tokenize(text));
  }

  encodeTokens(tokens: string[]): Int32Array {
    return Int32Array.from(this.inputRows(tokens).ids);
  }

  /**
   * The input rows of a token list (known words, then the bigram buckets) and, for each row,
   * the position of the token it comes from (a bigram's first token): attributions need it.
   */
  inputRows(tokens: string[]): { ids: number[]; at: number[]; bigram: boolean[] } {
    const toks = tokens.slice(0, this.cfg.maxTokens);
    const ids: number[] = [];
    const at: number[] = [];
    const bigram: boolean[] = [];
    const push = (id: number, i: number, pair: boolean) => {
      ids.push(id);
      at.push(i);
      bigram.push(pair);
    };
    toks.forEach((t, i) => {
      const id = this.index.get(t);
      if (id !== undefined) push(id, i, false);
    });
    if (this.cfg.wordNgrams > 1) {
      const base = 1 + this.words.length;
      // Bigrams of all tokens, known or not, in fastText's buckets: unknown words still pair.
      const { buckets } = this.cfg;
      if (this.hash === 'fnv1a-pair') for (let i = 0; i + 1 < toks.length; i++) push(base + (fnv1a(toks[i + 1], fnv1a(toks[i]) ^ 0x2f) % buckets), i, true);
      else {
        const h = toks.map(fastTextHash);
        for (let i = 0; i + 1 < h.length; i++) push(base + bigramBucket(h[i], h[i + 1], buckets), i, true);
      }
    }
    return { ids, at, bigram };
  }
}
