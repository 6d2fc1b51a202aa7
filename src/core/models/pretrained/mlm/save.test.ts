// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../checkpoint';
import { tinyModels } from '../fixtures';
import { MlmModel } from './mlm-model';
import { maskedLmFolder } from './save';

const tiny = tinyModels(fs);

describe.skipIf(!tiny.present)('the *ForMaskedLM folder', () => {
  for (const [name, architecture, head] of [
    ['tiny-distilbert', 'DistilBertForMaskedLM', ['vocab_layer_norm.bias', 'vocab_layer_norm.weight', 'vocab_projector.bias', 'vocab_transform.bias', 'vocab_transform.weight']],
    ['tiny-roberta', 'RobertaForMaskedLM', ['lm_head.bias', 'lm_head.dense.bias', 'lm_head.dense.weight', 'lm_head.layer_norm.bias', 'lm_head.layer_norm.weight']],
  ] as const) {
    it(`${name}: names ${architecture}, holds the encoder and its head under transformers' names, and reads back with the same weights`, async () => {
      const base = await tiny.load(name);
      const before = tf.memory().numTensors;
      const model = MlmModel.fromCheckpoint(base, { seed: 5 });
      const files = new Map((await maskedLmFolder(model, { config: base.config, read: tiny.reader(name) })).map((f) => [f.name, f.bytes]));
      const saved = await readCheckpoint(async (n) => files.get(n));
      expect(saved.config.architectures).toEqual([architecture]);
      const prefix = `${base.architecture.prefix}.`;
      const names = Object.keys(saved.weights);
      expect(names.filter((n) => !n.startsWith(prefix)).sort()).toEqual([...head]);
      // Every encoder weight of the base, and nothing drawn only for the classifier's forward.
      expect(names.filter((n) => n.startsWith(prefix)).sort()).toEqual(
        Object.keys(base.weights)
          .filter((n) => n.startsWith(prefix))
          .sort(),
      );
      const reread = MlmModel.fromCheckpoint(saved);
      expect(reread.freshHead).toBe(false);
      for (const n of head) expect(reread.head.get(n)!.dataSync()).toEqual(model.head.get(n)!.dataSync());
      model.dispose();
      reread.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
