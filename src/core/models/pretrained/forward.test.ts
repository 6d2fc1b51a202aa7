// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, tinyModels } from './fixtures';
import { EncoderModel } from './model';

const tiny = tinyModels(fs);

describe.skipIf(!tiny.present)('encoder forward matches PyTorch in eval mode (CPU backend)', () => {
  for (const name of ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3']) {
    it(`${name}: last_hidden_state and logits to 1e-4`, async () => {
      const model = EncoderModel.fromCheckpoint(await tiny.load(name));
      // Every weight the architecture lists came from the checkpoint.
      expect(model.initialised).toEqual([]);
      const exp = tiny.expected(name);
      const out = tf.tidy(() => {
        const o = model.forward({ inputIds: tf.tensor2d(exp.input_ids, undefined, 'int32'), attentionMask: tf.tensor2d(exp.attention_mask, undefined, 'int32') });
        return { hidden: o.lastHidden.arraySync(), logits: o.logits.arraySync() };
      });
      expect(maxAbsDiff(out.hidden, exp.last_hidden_state)).toBeLessThan(1e-4);
      expect(maxAbsDiff(out.logits, exp.logits)).toBeLessThan(1e-4);
      model.dispose();
    });
  }
});
