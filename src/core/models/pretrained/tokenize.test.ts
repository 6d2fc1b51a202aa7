// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random';
import { tinyModels } from './fixtures';
import { EncoderTokenizer, lengthBuckets, pad } from './tokenize';

const tiny = tinyModels(fs);
const ALL = ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3'];

describe.skipIf(!tiny.present)('tokenisation matches the Python tokenizers', () => {
  for (const name of ALL) {
    it(`${name}: expected.json ids and the truncated training batch exactly`, async () => {
      const tok = await EncoderTokenizer.fromFolder(tiny.reader(name));
      const exp = tiny.expected(name);
      const short = tok.batch(exp.texts, 32);
      expect(short.inputIds).toEqual(exp.input_ids);
      expect(short.attentionMask).toEqual(exp.attention_mask);
      // Long AG News texts cut to 32 as Python does: the closing special token survives.
      const ref = tiny.trainReference(name);
      const long = tok.batch(ref.batch.texts, ref.batch.max_length);
      expect(long.inputIds).toEqual(ref.batch.input_ids);
      expect(long.attentionMask).toEqual(ref.batch.attention_mask);
    });
  }

  it('a text far over the limit keeps its closing token', async () => {
    const tok = await EncoderTokenizer.fromFolder(tiny.reader('tiny-bert'));
    const ids = tok.encode('word '.repeat(200), 16);
    expect(ids).toHaveLength(16);
    expect(ids[0]).toBe(101);
    expect(ids[15]).toBe(102);
    expect(() => tok.encode('x', 2)).toThrow(/no room/);
  });
});

describe('padding and length buckets', () => {
  it('pads right to the longest sequence with a matching mask', () => {
    expect(pad([[5, 6, 7], [8]], 0)).toEqual({
      inputIds: [
        [5, 6, 7],
        [8, 0, 0],
      ],
      attentionMask: [
        [1, 1, 1],
        [1, 0, 0],
      ],
    });
    expect(pad([[5, 6], [8]], 1, true)).toEqual({
      inputIds: [
        [5, 6],
        [1, 8],
      ],
      attentionMask: [
        [1, 1],
        [0, 1],
      ],
    });
  });

  it('buckets cover every example once, keep lengths close, and depend on the seed only', () => {
    const lengths = Array.from({ length: 1000 }, (_, i) => 5 + ((i * 7919) % 120));
    const batches = lengthBuckets(lengths, 16, new Rng(3), 10);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    const spread = batches.map((b) => Math.max(...b.map((i) => lengths[i])) - Math.min(...b.map((i) => lengths[i])));
    const mean = spread.reduce((a, b) => a + b, 0) / spread.length;
    // A window of 160 lengths spread over 120 values: about 12 per batch, against about 100 unbucketed.
    expect(mean).toBeLessThan(16);
    expect(lengthBuckets(lengths, 16, new Rng(3), 10)).toEqual(batches);
    expect(lengthBuckets(lengths, 16, new Rng(4), 10)).not.toEqual(batches);
  });
});
