// Tests run under Node; reading the shared tokenizer files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../util/random';
import { tinyModels } from '../fixtures';
import { EncoderTokenizer } from '../tokenize';
import { checkMasking, DEFAULT_MASKING, maskBatch } from './collator';
import { maskingVocab } from './mask-vocab';
import { IGNORE } from './mlm-model';

const tiny = tinyModels(fs);
const TEXTS = [
  'Stocks slide as oil climbs to a record high on supply worries',
  'The team won the championship after an unbelievable overtime comeback',
  'Researchers unveil a microprocessor built from carbon nanotubes',
  'Peace talks resume in Geneva',
];

async function setUp(name = 'tiny-bert') {
  const tok = await EncoderTokenizer.fromFolder(tiny.reader(name));
  const vocab = await maskingVocab(tiny.reader(name));
  // Many rows, so the shares below are estimated over thousands of tokens.
  const batch = tok.batch(
    Array.from({ length: 200 }, (_, i) => TEXTS[i % TEXTS.length]),
    32,
  );
  return { tok, vocab, batch };
}

describe.skipIf(!tiny.present)('MLM masking (DataCollatorForLanguageModeling semantics)', () => {
  it('chooses 15% of the eligible tokens, 80% [MASK] / 10% random / 10% kept, labels -100 elsewhere, specials and padding never', async () => {
    const { vocab, batch } = await setUp();
    expect(vocab.maskId).toBe(103);
    const m = maskBatch(batch, vocab, DEFAULT_MASKING, new Rng(1));
    let eligible = 0;
    let chosen = 0;
    let masked = 0;
    let kept = 0;
    batch.inputIds.forEach((row, b) =>
      row.forEach((id, i) => {
        const label = m.labels[b][i];
        if (vocab.specialIds.has(id) || batch.attentionMask[b][i] === 0) {
          expect(label).toBe(IGNORE);
          expect(m.inputIds[b][i]).toBe(id);
          return;
        }
        eligible++;
        if (label === IGNORE) return expect(m.inputIds[b][i]).toBe(id);
        expect(label).toBe(id);
        chosen++;
        if (m.inputIds[b][i] === vocab.maskId) masked++;
        else if (m.inputIds[b][i] === id) kept++;
      }),
    );
    expect(eligible).toBeGreaterThan(2000);
    expect(chosen / eligible).toBeGreaterThan(0.12);
    expect(chosen / eligible).toBeLessThan(0.18);
    expect(masked / chosen).toBeGreaterThan(0.74);
    expect(masked / chosen).toBeLessThan(0.86);
    // Kept: 10%, plus the rare random draw of the same id.
    expect(kept / chosen).toBeGreaterThan(0.05);
    expect(kept / chosen).toBeLessThan(0.15);
    expect(m.attentionMask).toBe(batch.attentionMask);
  });

  it('is seeded: the same seed masks the same way, another seed differently', async () => {
    const { vocab, batch } = await setUp();
    expect(maskBatch(batch, vocab, DEFAULT_MASKING, new Rng(5))).toEqual(maskBatch(batch, vocab, DEFAULT_MASKING, new Rng(5)));
    expect(maskBatch(batch, vocab, DEFAULT_MASKING, new Rng(5)).labels).not.toEqual(maskBatch(batch, vocab, DEFAULT_MASKING, new Rng(6)).labels);
  });

  it('whole-word masking chooses every piece of a word or none', async () => {
    const { vocab, batch } = await setUp();
    const m = maskBatch(batch, vocab, { ...DEFAULT_MASKING, wholeWord: true }, new Rng(2));
    // Words such as 'nanotubes' are cut into WordPiece pieces ('##' continuations).
    let splitWordsSeen = 0;
    batch.inputIds.forEach((row, b) =>
      row.forEach((id, i) => {
        if (i === 0 || vocab.isWordStart(id) || vocab.specialIds.has(id) || batch.attentionMask[b][i] === 0) return;
        splitWordsSeen++;
        expect(m.labels[b][i] === IGNORE).toBe(m.labels[b][i - 1] === IGNORE);
      }),
    );
    expect(splitWordsSeen).toBeGreaterThan(100);
    expect(m.labels.flat().filter((l) => l !== IGNORE).length).toBeGreaterThan(100);
  });

  it('always chooses at least one token, and refuses a batch with nothing to mask', async () => {
    const { tok, vocab } = await setUp();
    const one = tok.batch(['Hi'], 32);
    for (let s = 0; s < 20; s++)
      expect(
        maskBatch(one, vocab, DEFAULT_MASKING, new Rng(s))
          .labels.flat()
          .filter((l) => l !== IGNORE),
      ).toHaveLength(1);
    expect(() => maskBatch({ inputIds: [[101, 102]], attentionMask: [[1, 1]] }, vocab, DEFAULT_MASKING, new Rng(1))).toThrow(/no token that may be masked/);
  });

  it("RoBERTa's BPE: <mask> and its specials", async () => {
    const { vocab, batch } = await setUp('tiny-roberta');
    expect(vocab.maskId).toBe(4);
    expect([...vocab.specialIds].sort()).toEqual([0, 1, 2, 3, 4]);
    const m = maskBatch(batch, vocab, DEFAULT_MASKING, new Rng(3));
    expect(m.labels.flat().some((l) => l !== IGNORE)).toBe(true);
  });

  it('refuses probabilities out of range', () => {
    expect(() => checkMasking({ ...DEFAULT_MASKING, maskProb: 0 })).toThrow(/mask probability must be in \(0, 1\); got 0/);
    expect(() => checkMasking({ ...DEFAULT_MASKING, maskReplaceProb: 0.95, randomReplaceProb: 0.1 })).toThrow(/add up to more than 1/);
  });
});
