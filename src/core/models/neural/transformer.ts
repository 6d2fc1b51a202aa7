/**
 * A small Transformer encoder trained from scratch: pre-LayerNorm blocks (Xiong et al. 2020:
 * stable without warm-up tricks), learned positions, GELU feed-forward, masked mean pooling.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifact } from '../estimator';
import { dense3, gelu, layerNorm, maskedMean, selfAttention } from './layers';
import { SequenceModel, type SequenceParams, type VariableSpec } from './sequence-model';

export interface TransformerParams extends SequenceParams {
  dim: number;
  layers: number;
  heads: number;
  ffDim: number;
  dropout: number;
}

export class Transformer extends SequenceModel<TransformerParams> {
  readonly kind = 'transformer';

  protected spec(vocabSize: number, classes: number): VariableSpec {
    const { dim: d, layers, ffDim: f, maxTokens } = this.params;
    const s: VariableSpec = { embedding: { shape: [vocabSize, d], init: 'embedding' }, positions: { shape: [maxTokens, d], init: 'embedding' } };
    for (let l = 0; l < layers; l++) {
      const p = `layer${l}.`;
      s[p + 'ln1.gamma'] = { shape: [d], init: 'ones' };
      s[p + 'ln1.beta'] = { shape: [d], init: 'zeros' };
      for (const m of ['q', 'k', 'v', 'o']) {
        s[`${p}attn.${m}`] = { shape: [d, d], init: 'glorot' };
        s[`${p}attn.${m}b`] = { shape: [d], init: 'zeros' };
      }
      s[p + 'ln2.gamma'] = { shape: [d], init: 'ones' };
      s[p + 'ln2.beta'] = { shape: [d], init: 'zeros' };
      s[p + 'ff1.weight'] = { shape: [d, f], init: 'glorot' };
      s[p + 'ff1.bias'] = { shape: [f], init: 'zeros' };
      s[p + 'ff2.weight'] = { shape: [f, d], init: 'glorot' };
      s[p + 'ff2.bias'] = { shape: [d], init: 'zeros' };
    }
    s['final.gamma'] = { shape: [d], init: 'ones' };
    s['final.beta'] = { shape: [d], init: 'zeros' };
    s['output.weight'] = { shape: [d, classes], init: 'glorot' };
    s['output.bias'] = { shape: [classes], init: 'zeros' };
    return s;
  }

  pool(tokens: tf.Tensor3D, mask: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D {
    const v = this.vars;
    const { dim: d, heads, dropout } = this.params;
    const [bsz, len] = tokens.shape;
    let n = 0;
    const drop = (x: tf.Tensor) => this.dropout(x, dropout, training, seed + n++);
    let x = drop(tf.add(tokens, tf.slice(v.positions, [0, 0], [len, d])));
    const maskBias = tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [bsz, 1, 1, len]);
    for (let l = 0; l < this.params.layers; l++) {
      const p = `layer${l}.`;
      const a = selfAttention(
        layerNorm(x, v[p + 'ln1.gamma'], v[p + 'ln1.beta']),
        { q: v[p + 'attn.q'], k: v[p + 'attn.k'], v: v[p + 'attn.v'], o: v[p + 'attn.o'], qb: v[p + 'attn.qb'], kb: v[p + 'attn.kb'], vb: v[p + 'attn.vb'], ob: v[p + 'attn.ob'] },
        heads,
        maskBias,
        drop,
      );
      x = tf.add(x, drop(a));
      const h = layerNorm(x, v[p + 'ln2.gamma'], v[p + 'ln2.beta']);
      const f = dense3(gelu(dense3(h, v[p + 'ff1.weight'], v[p + 'ff1.bias'])), v[p + 'ff2.weight'], v[p + 'ff2.bias']);
      x = tf.add(x, drop(f));
    }
    return maskedMean(layerNorm(x, v['final.gamma'], v['final.beta']), mask) as tf.Tensor2D;
  }

  /** The output layer; the encoder's dropout already applied. */
  head(pooled: tf.Tensor2D): tf.Tensor2D {
    const v = this.vars;
    return tf.add(tf.matMul(pooled as tf.Tensor2D, v['output.weight'] as tf.Tensor2D), v['output.bias']) as tf.Tensor2D;
  }

  static load(a: ModelArtifact): Transformer {
    const m = new Transformer((a.meta as { params: TransformerParams }).params);
    m.restore(a);
    return m;
  }
}
