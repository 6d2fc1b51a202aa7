/**
 * Word-level vocabulary for sequence models: 0 is padding, 1 is unknown, then the training
 * words by frequency.
 */
import { normalizeAndTokenize } from '../../text';

export const PAD = 0;
export const UNK = 1;

/**
 * The words of a corpus seen at least `minCount` times, most frequent first, at most
 * `maxWords`. Ties go by the word itself, so the result does not depend on input order.
 */
export function rankWords<T>(texts: T[], tokenize: (t: T) => string[], minCount: number, maxWords: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of tokenize(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxWords)
    .map(([w]) => w);
}

/** What a sequence model needs of its tokeniser: ids (0 padding) and the entries to save. */
export interface TokenVocab {
  readonly size: number;
  readonly words: string[];
  /** At most `maxLen` ids, at least one (unknown when the text has no token). */
  encode(text: string, maxLen: number): Int32Array;
  /** The tokens `encode` gives ids for, one string per id, for showing attributions. */
  display(text: string, maxLen: number): string[];
}

export class WordVocab implements TokenVocab {
  private index: Map<string, number>;
  constructor(readonly words: string[]) {
    this.index = new Map(words.map((w, i) => [w, i + 2]));
  }

  static build(texts: string[], minCount: number, maxWords: number): WordVocab {
    return new WordVocab(rankWords(texts, (t) => normalizeAndTokenize(t), minCount, maxWords));
  }

  get size(): number {
    return this.words.length + 2;
  }

  encode(text: string, maxLen: number): Int32Array {
    const toks = normalizeAndTokenize(text);
    const n = Math.min(toks.length, maxLen);
    const out = new Int32Array(Math.max(n, 1));
    for (let i = 0; i < n; i++) out[i] = this.index.get(toks[i]) ?? UNK;
    if (n === 0) out[0] = UNK;
    return out;
  }

  display(text: string, maxLen: number): string[] {
    const toks = normalizeAndTokenize(text).slice(0, maxLen);
    return toks.length ? toks : ['[UNK]'];
  }
}
