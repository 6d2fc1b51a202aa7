/**
 * config.json shapes (the sizes only) of the bases the lab knows before downloading them: the
 * catalog's eight encoders and the shared test fixture. The catalog lists them and memory.ts
 * sizes configs from them, so both read this one table: a base the catalog offers is never
 * sized as the BERT-base guess (deberta-v3-small's 128k-token embedding table, for one).
 */
import type { HfConfig } from './types';

const bertLike = (model_type: string, vocab_size: number, hidden_size: number, layers: number, heads: number, extra: Record<string, unknown> = {}): HfConfig => ({
  model_type,
  vocab_size,
  hidden_size,
  num_hidden_layers: layers,
  num_attention_heads: heads,
  intermediate_size: 4 * hidden_size,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  ...extra,
});

const ROBERTA = { vocab_size: 50265, max_position_embeddings: 514, type_vocab_size: 1, pad_token_id: 1 };
const DEBERTA_V3 = {
  max_position_embeddings: 512,
  type_vocab_size: 0,
  relative_attention: true,
  position_buckets: 256,
  max_relative_positions: -1,
  norm_rel_ebd: 'layer_norm',
  share_att_key: true,
  pos_att_type: ['p2c', 'c2p'],
  position_biased_input: false,
};

/** By the last segment of the base's id (revision aside). */
export const KNOWN_SHAPES: Readonly<Record<string, HfConfig>> = {
  'bert-base-uncased': bertLike('bert', 30522, 768, 12, 12),
  'distilbert-base-uncased': { model_type: 'distilbert', vocab_size: 30522, dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, max_position_embeddings: 512 },
  'roberta-base': bertLike('roberta', 50265, 768, 12, 12, ROBERTA),
  'distilroberta-base': bertLike('roberta', 50265, 768, 6, 12, ROBERTA),
  'electra-small-discriminator': bertLike('electra', 30522, 256, 12, 4, { embedding_size: 128 }),
  'deberta-v3-small': bertLike('deberta-v2', 128100, 768, 6, 12, DEBERTA_V3),
  'deberta-v3-base': bertLike('deberta-v2', 128100, 768, 12, 12, DEBERTA_V3),
  'all-MiniLM-L6-v2': bertLike('bert', 30522, 384, 6, 12),
  // The shared test fixture (../shared/models/tiny-bert).
  'tiny-bert': bertLike('bert', 30522, 32, 2, 4, { intermediate_size: 64, max_position_embeddings: 64 }),
};

/**
 * Shapes read from the config.json of local bases (file: and store: folders: a pretrain output, a
 * checkpoint on disk) just before a run's checks, so such a base is sized as what it is rather
 * than as the BERT-base guess for an unknown one (a tiny MLM output would be refused otherwise).
 */
const learned = new Map<string, HfConfig>();
const keyOf = (base: string) => base.replace(/\/+$/, '');

/** Remembers the shape of a local base, from its config.json. */
export function learnShape(base: string, config: HfConfig): void {
  learned.set(keyOf(base), config);
}

/** Whether a base is a local folder whose config.json can be read cheaply before the checks. */
export const isLocalBase = (base: string): boolean => base.startsWith('file:') || base.startsWith('store:');

/** The known shape of a base address (`hf:OWNER/NAME[@REV]`, `file:.../NAME`, `store:...`), if any. */
export function knownShape(base: string): HfConfig | undefined {
  const local = learned.get(keyOf(base));
  if (local) return local;
  const name = base.replace(/@.*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
  return KNOWN_SHAPES[name];
}

/** A small BERT shape, for the throughput calibration (catalog.ts). */
export const smallBert = (vocab: number, hidden: number, layers: number, heads: number, maxPositions: number): HfConfig =>
  bertLike('bert', vocab, hidden, layers, heads, { max_position_embeddings: maxPositions });
