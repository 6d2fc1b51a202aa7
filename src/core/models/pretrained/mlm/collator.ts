/**
 * Masking as transformers' DataCollatorForLanguageModeling does it, seeded: each non-special,
 * non-padding token is chosen with probability maskProb; a chosen token becomes the mask token
 * (80% by default), a random id (10%) or stays itself (10%); labels hold the original id where
 * chosen and -100 elsewhere. With whole-word masking only a word's first token draws, and a
 * drawn word is chosen whole.
 */
import type { Rng } from '../../../util/random';
import type { EncodedBatch } from '../tokenize';
import type { MaskingVocab } from './mask-vocab';
import { IGNORE, type MaskedBatch } from './mlm-model';

export interface MaskingOptions {
  /** Share of eligible tokens chosen (transformers' mlm_probability). */
  maskProb: number;
  /** Share of chosen tokens replaced by the mask token. */
  maskReplaceProb: number;
  /** Share of chosen tokens replaced by a random id (the rest stay themselves). */
  randomReplaceProb: number;
  wholeWord: boolean;
}

export const DEFAULT_MASKING: MaskingOptions = { maskProb: 0.15, maskReplaceProb: 0.8, randomReplaceProb: 0.1, wholeWord: false };

export function checkMasking(o: MaskingOptions): void {
  if (!(o.maskProb > 0 && o.maskProb < 1)) throw new Error(`mask probability must be in (0, 1); got ${o.maskProb}`);
  for (const [k, v] of [
    ['mask replace probability', o.maskReplaceProb],
    ['random replace probability', o.randomReplaceProb],
  ] as const)
    if (!(v >= 0 && v <= 1)) throw new Error(`${k} must be in [0, 1]; got ${v}`);
  if (o.maskReplaceProb + o.randomReplaceProb > 1) throw new Error(`mask and random replace probabilities add up to more than 1 (${o.maskReplaceProb} + ${o.randomReplaceProb})`);
}

/**
 * Masks a padded batch. When no token of the batch is chosen (a few short texts at a low
 * probability), one eligible token is chosen at random: transformers would return a NaN loss there.
 */
export function maskBatch(batch: EncodedBatch, vocab: MaskingVocab, opts: MaskingOptions, rng: Rng): MaskedBatch {
  const eligible = (id: number, m: number) => m === 1 && !vocab.specialIds.has(id);
  const chosen = batch.inputIds.map((row, b) => {
    const picks = row.map(() => false);
    let drawn = false;
    row.forEach((id, i) => {
      if (!eligible(id, batch.attentionMask[b][i])) return;
      // A word continues while tokens are not word starts and the previous token was eligible.
      const continues = opts.wholeWord && i > 0 && !vocab.isWordStart(id) && eligible(row[i - 1], batch.attentionMask[b][i - 1]);
      if (continues) picks[i] = drawn;
      else picks[i] = drawn = rng.next() < opts.maskProb;
    });
    return picks;
  });
  if (!chosen.some((r) => r.some(Boolean))) {
    const all = batch.inputIds.flatMap((row, b) => row.flatMap((id, i) => (eligible(id, batch.attentionMask[b][i]) ? [[b, i]] : [])));
    if (!all.length) throw new Error('MLM batch has no token that may be masked (only special tokens and padding)');
    const [b, i] = all[rng.int(all.length)];
    chosen[b][i] = true;
  }
  const randomShare = opts.randomReplaceProb / Math.max(1e-12, 1 - opts.maskReplaceProb);
  const inputIds = batch.inputIds.map((row) => [...row]);
  const labels = batch.inputIds.map((row, b) =>
    row.map((id, i) => {
      if (!chosen[b][i]) return IGNORE;
      if (rng.next() < opts.maskReplaceProb) inputIds[b][i] = vocab.maskId;
      else if (rng.next() < randomShare) inputIds[b][i] = rng.int(vocab.size);
      return id;
    }),
  );
  return { inputIds, attentionMask: batch.attentionMask, labels };
}
