// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { normaliseNames } from './checkpoint';
import { fitWeights } from './fit-weights';
import { tinyModels } from './fixtures';
import { EncoderModel } from './model';

const tiny = tinyModels(fs);

describe.skipIf(!tiny.present)('fitting checkpoint weights to a classifier', () => {
  it('a bare BertModel (no prefix, no head) gets a fresh pooler and classifier; a pre-training head is dropped', async () => {
    const c = await tiny.load('tiny-bert');
    const bare = Object.fromEntries(
      Object.entries(c.weights)
        .filter(([n]) => n.startsWith('bert.') && !n.includes('pooler'))
        .map(([n, t]) => [n.slice('bert.'.length), t]),
    );
    bare['cls.predictions.bias'] = { shape: [3], data: new Float32Array(3) };
    const fitted = fitWeights({ ...c, weights: normaliseNames(bare, 'bert') }, 4, 1);
    expect(fitted.initialised.sort()).toEqual(['bert.pooler.dense.bias', 'bert.pooler.dense.weight', 'classifier.bias', 'classifier.weight']);
    expect(fitted.dropped).toEqual(['bert.cls.predictions.bias']);
    tf.dispose(fitted.initialised.map((n) => fitted.weights[n] as tf.Tensor));
  });

  it('a head for another number of labels starts fresh; the encoder is kept', async () => {
    const model = EncoderModel.fromCheckpoint(await tiny.load('tiny-roberta'), { numLabels: 2, seed: 3 });
    expect(model.initialised.sort()).toEqual(['classifier.out_proj.bias', 'classifier.out_proj.weight']);
    expect(model.weights.get('classifier.out_proj.weight')!.shape).toEqual([2, 32]);
    expect(model.logits([[0, 5, 2]], [[1, 1, 1]])[0]).toHaveLength(2);
    model.dispose();
  });

  it('names missing or misshapen encoder weights', async () => {
    const c = await tiny.load('tiny-distilbert');
    const { ['distilbert.transformer.layer.1.ffn.lin1.weight']: _gone, ...rest } = c.weights;
    expect(() => fitWeights({ ...c, weights: rest }, 4, 0)).toThrow(/lacks 1 encoder weight\(s\): distilbert.transformer.layer.1.ffn.lin1.weight/);
    expect(() => fitWeights({ ...c, config: { ...c.config, hidden_dim: 48 } }, 4, 0)).toThrow(/lin1.weight \[64,32\] \(expected \[48,32\]\)/);
  });
});
