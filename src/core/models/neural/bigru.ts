/**
 * Bidirectional GRU classifier (Cho et al. 2014): word embeddings, one GRU reading the text
 * left to right and one right to left, their final states concatenated, dropout, a linear
 * output layer. TF.js has no recurrent op in tfjs-core, so the recurrence is unrolled from
 * ops every backend has with gradients (matMul, split, sigmoid, tanh, mul, add, unstack); a
 * backend lacking one still fails loudly through the training loop's KernelMissingError.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifact } from '../estimator';
import { dense3 } from './layers';
import { SequenceModel, type SequenceParams, type VariableSpec } from './sequence-model';

export interface BiGruParams extends SequenceParams {
  embeddingDim: number;
  hidden: number;
  dropout: number;
}

interface GruWeights {
  /** Input projections of every step for the gates z, r and the candidate n: L × [B, 3H]. */
  xp: tf.Tensor[];
  u: tf.Tensor;
  ub: tf.Tensor;
}

/**
 * One direction of a GRU in the "reset after" form (as cuDNN and Keras): the candidate is
 * tanh(x·Wn + r ⊙ (h·Un + bn)), so h·U for all three gates is one matMul per step. Padding
 * steps (mask 0) leave the state unchanged: batches are right-padded, so the forward pass
 * ends on the last real token and the backward pass starts from a zero state on it.
 */
export function gruDirection({ xp, u, ub }: GruWeights, steps: tf.Tensor[], reverse: boolean): tf.Tensor2D {
  const [bsz] = xp[0].shape;
  const hidden = u.shape[0]!;
  let h: tf.Tensor = tf.zeros([bsz, hidden]);
  for (let s = 0; s < xp.length; s++) {
    const t = reverse ? xp.length - 1 - s : s;
    const [xz, xr, xn] = tf.split(xp[t], 3, 1);
    const [hz, hr, hn] = tf.split(tf.add(tf.matMul(h as tf.Tensor2D, u as tf.Tensor2D), ub), 3, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    const next = tf.add(n, tf.mul(z, tf.sub(h, n))); // (1 - z) ⊙ n + z ⊙ h
    h = tf.add(h, tf.mul(steps[t], tf.sub(next, h)));
  }
  return h as tf.Tensor2D;
}

export class BiGru extends SequenceModel<BiGruParams> {
  readonly kind = 'bigru';

  protected spec(vocabSize: number, classes: number): VariableSpec {
    const { embeddingDim: e, hidden: h } = this.params;
    const s: VariableSpec = { embedding: { shape: [vocabSize, e], init: 'embedding' } };
    for (const d of ['fwd', 'bwd']) {
      s[`${d}.wx`] = { shape: [e, 3 * h], init: 'glorot' };
      s[`${d}.bx`] = { shape: [3 * h], init: 'zeros' };
      s[`${d}.u`] = { shape: [h, 3 * h], init: 'glorot' };
      s[`${d}.bu`] = { shape: [3 * h], init: 'zeros' };
    }
    s['output.weight'] = { shape: [2 * h, classes], init: 'glorot' };
    s['output.bias'] = { shape: [classes], init: 'zeros' };
    return s;
  }

  pool(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D {
    const v = this.vars;
    const x = this.dropout(emb, this.params.dropout, training, seed);
    const steps = tf.unstack(tf.expandDims(tf.transpose(mask), 2)); // L × [B, 1]
    // All steps' input projections in one matMul per direction, then one [B, 3H] slice per step.
    const project = (d: string) => tf.unstack(tf.transpose(dense3(x, v[`${d}.wx`], v[`${d}.bx`]), [1, 0, 2]));
    const fwd = gruDirection({ xp: project('fwd'), u: v['fwd.u'], ub: v['fwd.bu'] }, steps, false);
    const bwd = gruDirection({ xp: project('bwd'), u: v['bwd.u'], ub: v['bwd.bu'] }, steps, true);
    return tf.concat([fwd, bwd], 1);
  }

  head(pooled: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D {
    const v = this.vars;
    const h = this.dropout(pooled, this.params.dropout, training, seed + 1);
    return tf.add(tf.matMul(h as tf.Tensor2D, v['output.weight'] as tf.Tensor2D), v['output.bias']) as tf.Tensor2D;
  }

  static load(a: ModelArtifact): BiGru {
    const m = new BiGru((a.meta as { params: BiGruParams }).params);
    m.restore(a);
    return m;
  }
}
