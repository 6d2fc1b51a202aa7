/**
 * TextCNN (Kim 2014): word embeddings, parallel 1-D convolutions of several widths, ReLU,
 * max-pooling over time, dropout, and a linear output layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifact } from '../estimator';
import { SequenceModel, type SequenceParams, type VariableSpec } from './sequence-model';

export interface TextCnnParams extends SequenceParams {
  embeddingDim: number;
  filters: number;
  widths: number[];
  dropout: number;
}

export class TextCnn extends SequenceModel<TextCnnParams> {
  readonly kind = 'textcnn';

  protected spec(vocabSize: number, classes: number): VariableSpec {
    const { embeddingDim: e, filters: f, widths } = this.params;
    const s: VariableSpec = { embedding: { shape: [vocabSize, e], init: 'embedding' } };
    for (const w of widths) {
      s[`conv${w}.kernel`] = { shape: [w, e, f], init: 'glorot' };
      s[`conv${w}.bias`] = { shape: [f], init: 'zeros' };
    }
    s['output.weight'] = { shape: [f * widths.length, classes], init: 'glorot' };
    s['output.bias'] = { shape: [classes], init: 'zeros' };
    return s;
  }

  pool(emb: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const v = this.vars;
    const widest = Math.max(...this.params.widths);
    // Sequences shorter than the widest filter are padded so every convolution has an output.
    const pad = Math.max(0, widest - emb.shape[1]);
    const emb2 = pad
      ? tf.pad(emb, [
          [0, 0],
          [0, pad],
          [0, 0],
        ])
      : emb;
    const mask2 = pad
      ? tf.pad(mask, [
          [0, 0],
          [0, pad],
        ])
      : mask;
    const x = tf.mul(emb2, tf.expandDims(mask2, 2));
    const pooled = this.params.widths.map((w) => {
      const c = tf.relu(tf.add(tf.conv1d(x as tf.Tensor3D, v[`conv${w}.kernel`] as tf.Tensor3D, 1, 'valid'), v[`conv${w}.bias`]));
      return tf.max(c, 1);
    });
    return tf.concat(pooled, 1) as tf.Tensor2D;
  }

  head(pooled: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D {
    const v = this.vars;
    const h = this.dropout(pooled, this.params.dropout, training, seed);
    return tf.add(tf.matMul(h as tf.Tensor2D, v['output.weight'] as tf.Tensor2D), v['output.bias']) as tf.Tensor2D;
  }

  static load(a: ModelArtifact): TextCnn {
    const m = new TextCnn((a.meta as { params: TextCnnParams }).params);
    m.restore(a);
    return m;
  }
}
