/**
 * BertForSequenceClassification (also bare BertModel checkpoints such as MiniLM and bert-tiny,
 * whose head the fine-tuner initialises): encoder, tanh pooler over [CLS], dropout, classifier.
 */
import * as tf from '@tensorflow/tfjs-core';
import { arangePositions, bertEmbeddings, bertEncoder, bertFamilyShapes, validateBertFamily } from './bert-encoder';
import { firstToken, maskBias, num } from './ops';
import type { EncoderArchitecture } from './types';

export const bert: EncoderArchitecture = {
  modelTypes: ['bert'],
  prefix: 'bert',
  defaultLoraTargets: ['query', 'value'],
  validate: (config) => validateBertFamily(config, 'bert'),
  forward(config, { inputIds, attentionMask }, ctx) {
    const [b, l] = inputIds.shape;
    const x = bertEmbeddings(ctx, 'bert', config, inputIds, arangePositions(b, l));
    const last = bertEncoder(ctx, 'bert', config, x, maskBias(attentionMask)) as tf.Tensor3D;
    const pooled = tf.tanh(ctx.dense('bert.pooler.dense', firstToken(last)));
    const drop = num(config, 'classifier_dropout', num(config, 'hidden_dropout_prob', 0.1));
    const logits = ctx.dense('classifier', ctx.dropout(pooled, drop)) as tf.Tensor2D;
    return { lastHidden: last, logits };
  },
  weightShapes(config, numLabels) {
    const h = num(config, 'hidden_size');
    return {
      ...bertFamilyShapes('bert', config, h),
      'bert.pooler.dense.weight': [h, h],
      'bert.pooler.dense.bias': [h],
      'classifier.weight': [numLabels, h],
      'classifier.bias': [numLabels],
    };
  },
};
