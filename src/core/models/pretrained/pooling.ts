/**
 * Mean pooling (sentence-transformers' default, e.g. all-MiniLM-L6-v2): the average of the last
 * hidden states over the real tokens, then dropout and the classifier's final linear layer, in
 * place of the architecture's [CLS] head. The linear layer is the checkpoint's own `classifier`
 * (BERT, DistilBERT, DeBERTa) or `classifier.out_proj` (RoBERTa, ELECTRA), so PEFT's
 * modules_to_save and the saved head work unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderContext, HfConfig } from './types';

/** Masked mean over the length axis: [B, L, H] and [B, L] -> [B, H]. */
export function meanPool(hidden: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const m = tf.expandDims(tf.cast(mask, 'float32'), -1);
  const sum = tf.sum(tf.mul(hidden, m), 1);
  return tf.div(sum, tf.maximum(tf.sum(m, 1), 1e-9)) as tf.Tensor2D;
}

/** The linear module the mean-pooled head uses, for a model with these weight names. */
export function meanHeadModule(has: (name: string) => boolean): string {
  if (has('classifier.weight')) return 'classifier';
  if (has('classifier.out_proj.weight')) return 'classifier.out_proj';
  throw new Error("mean pooling needs a 'classifier' or 'classifier.out_proj' linear head");
}

export function meanHead(hidden: tf.Tensor3D, mask: tf.Tensor2D, ctx: EncoderContext, config: HfConfig, module: string): tf.Tensor2D {
  const p = [config.classifier_dropout, config.seq_classif_dropout, config.hidden_dropout_prob, config.dropout].find((v): v is number => typeof v === 'number') ?? 0.1;
  return ctx.dense(module, ctx.dropout(meanPool(hidden, mask), p)) as tf.Tensor2D;
}
