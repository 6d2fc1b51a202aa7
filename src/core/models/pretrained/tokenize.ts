/**
 * Tokenisation for the pretrained encoders through @huggingface/transformers, built from a
 * checkpoint's tokenizer.json + tokenizer_config.json (no network). Truncation follows Python's
 * tokenizers, not transformers.js: the text's own tokens are cut so that the special tokens the
 * post-processor adds (a closing [SEP] or </s> included) always fit within maxLength.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { Rng } from '../../util/random';
import type { FolderReader } from './checkpoint';

export interface EncodedBatch {
  inputIds: number[][];
  attentionMask: number[][];
}

export class EncoderTokenizer {
  private constructor(
    private readonly tok: PreTrainedTokenizer,
    /** Special ids the post-processor puts before and after a single text. */
    private readonly prefix: number[],
    private readonly suffix: number[],
    readonly padId: number,
    private readonly padLeft: boolean,
  ) {}

  static async fromFolder(read: FolderReader): Promise<EncoderTokenizer> {
    const json = await read('tokenizer.json');
    if (!json) throw new Error('the model folder has no tokenizer.json (a fast tokenizer is needed)');
    const config = await read('tokenizer_config.json');
    const parse = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
    return EncoderTokenizer.fromJson(parse(json), config ? parse(config) : {});
  }

  /** The tokenizer class tokenizer_config.json names (as AutoTokenizer picks it), else the generic one. */
  static async fromJson(tokenizerJson: Record<string, unknown>, tokenizerConfig: Record<string, unknown>): Promise<EncoderTokenizer> {
    const lib = (await import('@huggingface/transformers')) as unknown as Record<string, unknown> & { PreTrainedTokenizer: typeof PreTrainedTokenizer };
    const name = String(tokenizerConfig.tokenizer_class ?? '').replace(/Fast$/, '');
    const named = lib[name] as typeof PreTrainedTokenizer | undefined;
    const Cls = typeof named === 'function' && named.prototype instanceof lib.PreTrainedTokenizer ? named : lib.PreTrainedTokenizer;
    const tok = new Cls(tokenizerJson, tokenizerConfig);
    // Where the post-processor puts its specials, read off one probe text.
    const probe = 'a';
    const full = tok.encode(probe);
    const plain = tok.encode(probe, { add_special_tokens: false });
    const at = findRun(full, plain);
    if (at < 0) throw new Error("tokenizer: the post-processor rewrites a text's own tokens, so Python's truncation cannot be reproduced");
    const padId = tok.pad_token_id ?? 0;
    return new EncoderTokenizer(tok, full.slice(0, at), full.slice(at + plain.length), padId, tok.padding_side === 'left');
  }

  /** Number of special tokens added around one text. */
  get specials(): number {
    return this.prefix.length + this.suffix.length;
  }

  /** Token ids of one text with its special tokens, at most maxLength long (Python's truncation). */
  encode(text: string, maxLength: number): number[] {
    if (maxLength < this.specials + 1) throw new Error(`maxLength ${maxLength} leaves no room for text between ${this.specials} special tokens`);
    const own = this.tok.encode(text, { add_special_tokens: false });
    return [...this.prefix, ...own.slice(0, maxLength - this.specials), ...this.suffix];
  }

  /** Each id as text, one per token (for explanations). */
  display(ids: number[]): string[] {
    return ids.map((id) => this.tok.decode([id]));
  }

  /** Texts padded to the longest of the batch (not to maxLength), with their attention masks. */
  batch(texts: string[], maxLength: number): EncodedBatch {
    return pad(
      texts.map((t) => this.encode(t, maxLength)),
      this.padId,
      this.padLeft,
    );
  }
}

export function pad(seqs: number[][], padId: number, left = false): EncodedBatch {
  const len = Math.max(0, ...seqs.map((s) => s.length));
  const fill = (n: number, v: number) => new Array<number>(n).fill(v);
  return {
    inputIds: seqs.map((s) => (left ? [...fill(len - s.length, padId), ...s] : [...s, ...fill(len - s.length, padId)])),
    attentionMask: seqs.map((s) => (left ? [...fill(len - s.length, 0), ...fill(s.length, 1)] : [...fill(s.length, 1), ...fill(len - s.length, 0)])),
  };
}

/**
 * Batches of similar length, so little compute goes to padding: examples are shuffled, sorted by
 * length within windows of `window` batches, cut into batches, and the batches shuffled. Every
 * index appears exactly once.
 */
export function lengthBuckets(lengths: number[], batchSize: number, rng: Rng, window = 50): number[][] {
  const order = rng.shuffle(lengths.map((_, i) => i));
  const batches: number[][] = [];
  const span = batchSize * window;
  for (let start = 0; start < order.length; start += span) {
    const chunk = order.slice(start, start + span).sort((a, b) => lengths[a] - lengths[b]);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  return rng.shuffle(batches);
}

function findRun(haystack: number[], needle: number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++) if (needle.every((v, j) => haystack[i + j] === v)) return i;
  return -1;
}
