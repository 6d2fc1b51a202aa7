/**
 * RobertaForSequenceClassification: BERT's encoder with positions counted from padding_idx + 1
 * over the non-padding tokens (padding keeps padding_idx), one token type, and
 * RobertaClassificationHead (dense + tanh on <s>, then out_proj) instead of the pooler.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bertEmbeddings, bertEncoder, bertFamilyShapes, validateBertFamily } from './bert-encoder';
import { firstToken, maskBias, num } from './ops';
import type { EncoderArchitecture } from './types';

/** transformers' create_position_ids_from_input_ids: cumsum over non-padding ids, offset by padding_idx. */
export function robertaPositions(inputIds: tf.Tensor2D, paddingIdx: number): tf.Tensor2D {
  return tf.tidy(() => {
    const notPad = tf.cast(tf.notEqual(inputIds, paddingIdx), 'int32');
    return tf.add(tf.mul(tf.cumsum(notPad, 1), notPad), tf.scalar(paddingIdx, 'int32')) as tf.Tensor2D;
  });
}

export const roberta: EncoderArchitecture = {
  modelTypes: ['roberta'],
  prefix: 'roberta',
  defaultLoraTargets: ['query', 'value'],
  validate: (config) => validateBertFamily(config, 'roberta'),
  forward(config, { inputIds, attentionMask }, ctx) {
    const positions = robertaPositions(inputIds, num(config, 'pad_token_id', 1));
    const x = bertEmbeddings(ctx, 'roberta', config, inputIds, positions);
    const last = bertEncoder(ctx, 'roberta', config, x, maskBias(attentionMask)) as tf.Tensor3D;
    const drop = num(config, 'classifier_dropout', num(config, 'hidden_dropout_prob', 0.1));
    const h = tf.tanh(ctx.dense('classifier.dense', ctx.dropout(firstToken(last), drop)));
    const logits = ctx.dense('classifier.out_proj', ctx.dropout(h, drop)) as tf.Tensor2D;
    return { lastHidden: last, logits };
  },
  weightShapes(config, numLabels) {
    const h = num(config, 'hidden_size');
    return { ...bertFamilyShapes('roberta', config, h), ...classificationHeadShapes(h, numLabels) };
  },
};

/** RobertaClassificationHead / ElectraClassificationHead: classifier.dense then classifier.out_proj. */
export function classificationHeadShapes(h: number, numLabels: number): Record<string, number[]> {
  return { 'classifier.dense.weight': [h, h], 'classifier.dense.bias': [h], 'classifier.out_proj.weight': [numLabels, h], 'classifier.out_proj.bias': [numLabels] };
}
