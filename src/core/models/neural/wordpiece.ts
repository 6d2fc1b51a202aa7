/**
 * BERT's uncased WordPiece tokenisation (Devlin et al. 2019; the BertNormalizer,
 * BertPreTokenizer and WordPiece model of Hugging Face `tokenizers`), from a vocab.txt given
 * as text: core reads no files, the entry point does.
 *
 * Normalise: drop NUL, U+FFFD and control characters, map whitespace to spaces, put spaces
 * around CJK ideographs, strip accents (NFD, then no non-spacing marks), lower-case. Split on
 * whitespace and around every punctuation character. Then each word greedily takes the longest
 * vocabulary entry from its start, continuation pieces carrying "##"; a word with a piece not
 * in the vocabulary, or longer than 100 characters, becomes [UNK] as a whole.
 */
import { ConfigError } from '../../util/errors';
import type { TokenVocab } from './word-vocab';

const MAX_WORD_CHARS = 100;
const CONTROL = /\p{C}/u;
const SPACE = /[\t\n\r\p{Zs}]/u;
const MARK = /\p{Mn}/gu;
// ASCII symbols such as $ + < = > ^ ` | ~ count as punctuation for BERT, as well as Unicode P*.
const PUNCT = /[!-/:-@[-`{-~\p{P}]/u;

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** BERT's basic tokenisation (uncased): the words WordPiece then splits. */
export function basicTokens(text: string): string[] {
  let clean = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (SPACE.test(ch)) clean += ' ';
    else if (cp === 0 || cp === 0xfffd || CONTROL.test(ch)) continue;
    else if (isCjk(cp)) clean += ` ${ch} `;
    else clean += ch;
  }
  const normal = clean.normalize('NFD').replace(MARK, '').toLowerCase();
  const out: string[] = [];
  for (const word of normal.split(' ')) {
    let start = 0;
    const chars = Array.from(word);
    chars.forEach((ch, i) => {
      if (!PUNCT.test(ch)) return;
      if (i > start) out.push(chars.slice(start, i).join(''));
      out.push(ch);
      start = i + 1;
    });
    if (start < chars.length) out.push(chars.slice(start).join(''));
  }
  return out;
}

export class WordPiece implements TokenVocab {
  private index: Map<string, number>;
  readonly unk: number;

  /** `tokens`: the vocabulary in id order (line order of vocab.txt). */
  constructor(readonly tokens: string[]) {
    this.index = new Map(tokens.map((t, i) => [t, i]));
    const unk = this.index.get('[UNK]');
    if (unk === undefined) throw new ConfigError('The WordPiece vocabulary has no [UNK] token: is this a BERT vocab.txt?');
    this.unk = unk;
  }

  static fromVocabText(text: string): WordPiece {
    const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return new WordPiece(lines);
  }

  get size(): number {
    return this.tokens.length;
  }

  get words(): string[] {
    return this.tokens;
  }

  encode(text: string, maxLen: number): Int32Array {
    const ids = this.encodeIds(text).slice(0, maxLen);
    return Int32Array.from(ids.length ? ids : [this.unk]);
  }

  /** The pieces of one basic token, as ids; [UNK] alone when it cannot be covered. */
  private pieces(word: string, out: number[]): void {
    const chars = Array.from(word);
    if (chars.length > MAX_WORD_CHARS) {
      out.push(this.unk);
      return;
    }
    const ids: number[] = [];
    for (let start = 0; start < chars.length;) {
      let end = chars.length;
      let id: number | undefined;
      for (; end > start; end--) {
        id = this.index.get((start > 0 ? '##' : '') + chars.slice(start, end).join(''));
        if (id !== undefined) break;
      }
      if (id === undefined) {
        out.push(this.unk);
        return;
      }
      ids.push(id);
      start = end;
    }
    out.push(...ids);
  }

  /** Token ids of a text, without [CLS]/[SEP] (the models here pool over all tokens). */
  encodeIds(text: string): number[] {
    const out: number[] = [];
    for (const w of basicTokens(text)) this.pieces(w, out);
    return out;
  }

  tokenize(text: string): string[] {
    return this.encodeIds(text).map((i) => this.tokens[i]);
  }

  display(text: string, maxLen: number): string[] {
    return Array.from(this.encode(text, maxLen), (i) => this.tokens[i]);
  }
}

type WithVocab = { tokenizer?: string; vocabFile?: string; vocab?: string[] };

/**
 * The `vocabFile` an entry point still has to read for a WordPiece model config (a path for
 * the CLI, a URL for the page), or null when the config needs none or already carries `vocab`.
 */
export function vocabFileToRead(model: object): string | null {
  const m = model as WithVocab;
  return m.tokenizer === 'wordpiece' && m.vocabFile && !m.vocab?.length ? m.vocabFile : null;
}

/** The model config with `vocab` filled in from the text of its vocab.txt. */
export function withVocabText<M extends object>(model: M, text: string): M {
  return { ...model, vocab: WordPiece.fromVocabText(text).tokens };
}
