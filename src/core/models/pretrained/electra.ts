/**
 * ElectraForSequenceClassification (the discriminator): BERT's embeddings at embedding_size,
 * projected to hidden_size by embeddings_project when the two differ, BERT's encoder, and
 * ElectraClassificationHead, whose activation is GELU whatever hidden_act says (as transformers).
 */
import * as tf from '@tensorflow/tfjs-core';
import { arangePositions, bertEmbeddings, bertEncoder, bertFamilyShapes, validateBertFamily } from './bert-encoder';
import { activation, firstToken, maskBias, num } from './ops';
import { classificationHeadShapes } from './roberta';
import type { EncoderArchitecture, HfConfig } from './types';

const embeddingSize = (config: HfConfig) => num(config, 'embedding_size', num(config, 'hidden_size'));

export const electra: EncoderArchitecture = {
  modelTypes: ['electra'],
  prefix: 'electra',
  defaultLoraTargets: ['query', 'value'],
  validate: (config) => validateBertFamily(config, 'electra'),
  forward(config, { inputIds, attentionMask }, ctx) {
    const [b, l] = inputIds.shape;
    let x = bertEmbeddings(ctx, 'electra', config, inputIds, arangePositions(b, l));
    if (embeddingSize(config) !== num(config, 'hidden_size')) x = ctx.dense('electra.embeddings_project', x);
    const last = bertEncoder(ctx, 'electra', config, x, maskBias(attentionMask)) as tf.Tensor3D;
    const drop = num(config, 'classifier_dropout', num(config, 'hidden_dropout_prob', 0.1));
    const h = activation('gelu')(ctx.dense('classifier.dense', ctx.dropout(firstToken(last), drop)));
    const logits = ctx.dense('classifier.out_proj', ctx.dropout(h, drop)) as tf.Tensor2D;
    return { lastHidden: last, logits };
  },
  weightShapes(config, numLabels) {
    const h = num(config, 'hidden_size');
    const e = embeddingSize(config);
    const project: Record<string, number[]> = e === h ? {} : { 'electra.embeddings_project.weight': [h, e], 'electra.embeddings_project.bias': [h] };
    return { ...bertFamilyShapes('electra', config, e), ...project, ...classificationHeadShapes(h, numLabels) };
  },
};
