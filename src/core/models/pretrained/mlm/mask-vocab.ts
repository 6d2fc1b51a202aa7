/**
 * What masking needs to know of a checkpoint's tokenizer, read from its tokenizer.json and
 * tokenizer_config.json: the mask token, the special tokens (never masked, as the tokenizer's
 * special-tokens mask marks them: [PAD], [UNK], [CLS], [SEP], [MASK] or their BPE peers), the
 * vocabulary size random replacements draw from (len(tokenizer)), and where words start.
 */
import type { FolderReader } from '../checkpoint';

export interface MaskingVocab {
  maskId: number;
  specialIds: ReadonlySet<number>;
  /** Random replacements draw ids in [0, size). */
  size: number;
  /**
   * Whether a token starts a word (whole-word masking): WordPiece's tokens without the
   * continuing-subword prefix ('##'), byte-level BPE's tokens carrying the space marker 'Ġ'.
   */
  isWordStart(id: number): boolean;
}

interface TokenizerJson {
  added_tokens?: { id: number; content: string; special?: boolean }[];
  model?: { type?: string; vocab?: Record<string, number> | [string, number][]; continuing_subword_prefix?: string | null };
}

export async function maskingVocab(read: FolderReader): Promise<MaskingVocab> {
  const bytes = await read('tokenizer.json');
  if (!bytes) throw new Error('the model folder has no tokenizer.json (masking needs its special tokens)');
  const configBytes = await read('tokenizer_config.json');
  const parse = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as unknown;
  return maskingVocabFromJson(parse(bytes) as TokenizerJson, configBytes ? (parse(configBytes) as Record<string, unknown>) : {});
}

export function maskingVocabFromJson(json: TokenizerJson, config: Record<string, unknown>): MaskingVocab {
  const added = json.added_tokens ?? [];
  const tokens = new Map<number, string>();
  const vocab = json.model?.vocab;
  if (Array.isArray(vocab)) vocab.forEach(([t], i) => tokens.set(i, t));
  else if (vocab) for (const [t, id] of Object.entries(vocab)) tokens.set(id, t);
  for (const a of added) tokens.set(a.id, a.content);
  const maskToken = typeof config.mask_token === 'string' ? config.mask_token : (added.find((a) => a.content === '[MASK]' || a.content === '<mask>')?.content ?? '');
  const mask = added.find((a) => a.content === maskToken);
  if (!mask) throw new Error(`tokenizer.json has no mask token${maskToken ? ` '${maskToken}'` : ''}: masked-language modelling needs one`);
  const prefix = json.model?.type === 'WordPiece' ? (json.model.continuing_subword_prefix ?? '##') : undefined;
  const isWordStart = (id: number) => {
    const t = tokens.get(id) ?? '';
    return prefix !== undefined ? !t.startsWith(prefix) : t.startsWith('Ġ') || t.startsWith('▁');
  };
  return {
    maskId: mask.id,
    specialIds: new Set(added.filter((a) => a.special).map((a) => a.id)),
    size: Math.max(...tokens.keys()) + 1,
    isWordStart,
  };
}
