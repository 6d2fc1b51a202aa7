/* eslint-disable no-restricted-imports */
/**
 * WordPiece against the real bert-base-uncased vocabulary in ../shared/models (outside the
 * repo; skipped, with the reason, where it is absent): hand-checked tokenisations, then parity
 * with @huggingface/transformers' tokenizer on real AG News text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicTokens, WordPiece } from './wordpiece';

const DIR = resolve(process.cwd(), '../shared/models/bert-base-uncased');
const present = existsSync(resolve(DIR, 'vocab.txt'));
if (!present) console.warn(`Skipping the WordPiece vocabulary tests: ${DIR} is absent (it lives in the shared folder beside the repo).`);

describe('BERT basic tokenisation', () => {
  it('cleans, lower-cases, strips accents and splits punctuation and CJK', () => {
    expect(basicTokens("Wal-Mart's\tprofits\u0000 rose 12%")).toEqual(['wal', '-', 'mart', "'", 's', 'profits', 'rose', '12', '%']);
    expect(basicTokens('Héllo NAÏVE café')).toEqual(['hello', 'naive', 'cafe']);
    expect(basicTokens('東京 2004$')).toEqual(['東', '京', '2004', '$']);
  });
});

describe.skipIf(!present)('WordPiece with the real bert-base-uncased vocab.txt', () => {
  const wp = present ? WordPiece.fromVocabText(readFileSync(resolve(DIR, 'vocab.txt'), 'utf8')) : undefined!;

  it('reads the vocabulary in id order', () => {
    expect(wp.size).toBe(30522);
    expect([wp.tokens[0], wp.unk, wp.tokens[101], wp.tokens[102]]).toEqual(['[PAD]', 100, '[CLS]', '[SEP]']);
  });

  it('splits words greedily into the longest pieces (hand-checked against BERT)', () => {
    expect(wp.tokenize('unaffable')).toEqual(['una', '##ffa', '##ble']);
    expect(wp.tokenize('PlayStation 2 sales')).toEqual(['playstation', '2', 'sales']);
    expect(wp.tokenize('Reuters - Oil prices')).toEqual(['reuters', '-', 'oil', 'prices']);
    expect(wp.tokenize('xqzvbtk')).toEqual(['x', '##q', '##z', '##vb', '##t', '##k']);
    expect(wp.encodeIds('the')).toEqual([1996]);
  });

  it('maps an uncoverable or over-long word to one [UNK]', () => {
    expect(wp.tokenize('a \u2603 b')).toEqual(['a', '[UNK]', 'b']);
    expect(wp.tokenize('x'.repeat(101))).toEqual(['[UNK]']);
  });

  it("agrees with @huggingface/transformers' tokenizer on real AG News text", async () => {
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = resolve(DIR, '..');
    const ref = await AutoTokenizer.from_pretrained('bert-base-uncased');
    const texts = readFileSync(resolve(DIR, '../../data/ag_news/test.csv'), 'utf8').split('\n').slice(0, 400);
    for (const t of texts) expect(wp.encodeIds(t)).toEqual(ref.encode(t, { add_special_tokens: false }));
  });
});
