/**
 * fastText's dictionary: words seen at least `minCount` times get ids 1..V (0 is padding),
 * word bigrams are hashed into `buckets` extra rows after them (Joulin et al. 2016).
 */
import { normalizeAndTokenize } from '../../text';
import { fnv1a } from '../../util/hash';
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
const fastTextTokens = (t: string): string[] =>
  t
    .replace(/\\n/g, ' ')
    .toLowerCase()
    .replace(PUNCT, ' $1 ')
    .split(/\s+/)
    .filter(Boolean)
    // fastText appends an end-of-line token to every line; it also joins the last bigram.
    .concat('</s>');

function tokenizerFor(cfg: VocabConfig): (t: string) => string[] {
  return cfg.tokenizer === 'fasttext' ? fastTextTokens : (t) => normalizeAndTokenize(t);
}

export class Dictionary {
  private index: Map<string, number>;
  constructor(
    readonly words: string[],
    readonly cfg: VocabConfig,
  ) {
    this.index = new Map(words.map((w, i) => [w, i + 1]));
  }

  static build(texts: string[], cfg: VocabConfig): Dictionary {
    return new Dictionary(rankWords(texts, tokenizerFor(cfg), cfg.minCount, cfg.maxWords), cfg);
  }

  /** Rows in the embedding table: padding + words + bigram buckets. */
  get rows(): number {
    return 1 + this.words.length + (this.cfg.wordNgrams > 1 ? this.cfg.buckets : 0);
  }

  encode(text: string): Int32Array {
    const toks = tokenizerFor(this.cfg)(text).slice(0, this.cfg.maxTokens);
    const ids: number[] = [];
    for (const t of toks) {
      const id = this.index.get(t);
      if (id !== undefined) ids.push(id);
    }
    if (this.cfg.wordNgrams > 1) {
      const base = 1 + this.words.length;
      // Bigrams of all tokens, known or not, as fastText does: unknown words still pair.
      for (let i = 0; i + 1 < toks.length; i++) ids.push(base + (fnv1a(toks[i + 1], fnv1a(toks[i]) ^ 0x2f) % this.cfg.buckets));
    }
    return Int32Array.from(ids);
  }
}
