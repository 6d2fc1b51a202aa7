/**
 * fastText's dictionary: words seen at least `minCount` times get ids 1..V (0 is padding),
 * word bigrams are hashed into `buckets` extra rows after them (Joulin et al. 2016).
 */
import { normalizeAndTokenize } from '../../text';
import { fnv1a } from '../../util/hash';

export interface VocabConfig {
  minCount: number;
  maxWords: number;
  buckets: number;
  wordNgrams: 1 | 2;
  maxTokens: number;
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
    const counts = new Map<string, number>();
    for (const t of texts) for (const w of normalizeAndTokenize(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts.entries()]
      .filter(([, c]) => c >= cfg.minCount)
      // Ties broken by the word itself so the dictionary does not depend on input order.
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, cfg.maxWords)
      .map(([w]) => w);
    return new Dictionary(words, cfg);
  }

  /** Rows in the embedding table: padding + words + bigram buckets. */
  get rows(): number {
    return 1 + this.words.length + (this.cfg.wordNgrams > 1 ? this.cfg.buckets : 0);
  }

  encode(text: string): Int32Array {
    const toks = normalizeAndTokenize(text).slice(0, this.cfg.maxTokens);
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
