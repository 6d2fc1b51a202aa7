/**
 * Optimizers written on core ops rather than tf.train's, for three reasons: their whole state
 * (step and moments) is plain named tensors that a checkpoint saves and restores exactly;
 * AdamW's decoupled weight decay; and lazy row updates for embedding tables (only the rows a
 * batch touches), which tf.train's optimizers cannot do.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../models/estimator';

export type OptimizerKind = 'adam' | 'adamw' | 'sgd' | 'sparse-adam';

export interface OptimizerOptions {
  kind: OptimizerKind;
  weightDecay: number;
  /** tf.train.adam's defaults. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  momentum?: number;
}

const zerosVar = (like: tf.Tensor): tf.Variable => tf.tidy(() => tf.variable(tf.zerosLike(like), false));

export class Optimizer {
  /** Steps taken (Adam's bias correction uses the global step, also for lazy rows, as TF's LazyAdam). */
  t = 0;
  private m: tf.Variable[];
  private v: tf.Variable[];
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;

  constructor(
    private readonly params: tf.Variable[],
    private readonly opts: OptimizerOptions,
  ) {
    this.b1 = opts.kind === 'sgd' ? (opts.momentum ?? 0.9) : (opts.beta1 ?? 0.9);
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.epsilon ?? 1e-7;
    this.m = params.map(zerosVar);
    this.v = opts.kind === 'sgd' ? [] : params.map(zerosVar);
  }

  /** Call once per optimizer step, before `update`/`updateRows`. */
  tick(): void {
    this.t++;
  }

  /** Dense update of parameter i. Decoupled weight decay (AdamW) applies to matrices only, not biases or norms. */
  update(i: number, grad: tf.Tensor, lr: number): void {
    tf.tidy(() => {
      const p = this.params[i];
      const [next, m, v] = this.step(p, grad, this.m[i], this.v[i], lr);
      p.assign(next);
      this.m[i].assign(m);
      if (v) this.v[i].assign(v);
    });
  }

  /** Lazy update of the given rows of parameter i (an embedding table): `current` holds their values. */
  updateRows(i: number, rowIds: tf.Tensor1D, current: tf.Tensor, grad: tf.Tensor, lr: number): void {
    tf.tidy(() => {
      const at = tf.expandDims(rowIds, 1);
      const mRows = tf.gather(this.m[i], rowIds);
      const vRows = this.v.length ? tf.gather(this.v[i], rowIds) : undefined;
      const [next, m, v] = this.step(current, grad, mRows, vRows, lr);
      this.params[i].assign(tf.tensorScatterUpdate(this.params[i], at, next));
      this.m[i].assign(tf.tensorScatterUpdate(this.m[i], at, m));
      if (v) this.v[i].assign(tf.tensorScatterUpdate(this.v[i], at, v));
    });
  }

  private step(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor | undefined, lr: number): [tf.Tensor, tf.Tensor, tf.Tensor | undefined] {
    const decay = this.opts.kind === 'adamw' && this.opts.weightDecay > 0 && p.rank >= 2 ? tf.mul(p, lr * this.opts.weightDecay) : undefined;
    if (this.opts.kind === 'sgd') {
      const g2 = this.opts.weightDecay > 0 && p.rank >= 2 ? tf.add(g, tf.mul(p, this.opts.weightDecay)) : g;
      const m2 = tf.add(tf.mul(m, this.b1), g2);
      return [tf.sub(p, tf.mul(m2, lr)), m2, undefined];
    }
    const m2 = tf.add(tf.mul(m, this.b1), tf.mul(g, 1 - this.b1));
    const v2 = tf.add(tf.mul(v!, this.b2), tf.mul(tf.square(g), 1 - this.b2));
    const c1 = 1 - this.b1 ** this.t;
    const c2 = 1 - this.b2 ** this.t;
    let next = tf.sub(p, tf.div(tf.mul(m2, lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), this.eps)));
    if (decay) next = tf.sub(next, decay);
    return [next, m2, v2];
  }

  async state(): Promise<Record<string, NamedTensor>> {
    const out: Record<string, NamedTensor> = { 'optimizer.t': { dtype: 'F32', shape: [1], data: Float32Array.of(this.t) } };
    const put = async (name: string, t: tf.Variable) => (out[name] = { dtype: 'F32', shape: t.shape, data: (await t.data()) as Float32Array });
    for (let i = 0; i < this.m.length; i++) await put(`optimizer.m.${i}`, this.m[i]);
    for (let i = 0; i < this.v.length; i++) await put(`optimizer.v.${i}`, this.v[i]);
    return out;
  }

  load(state: Record<string, NamedTensor>): void {
    this.t = state['optimizer.t'].data[0];
    const set = (t: tf.Variable, name: string) => tf.tidy(() => t.assign(tf.tensor(state[name].data, state[name].shape)));
    this.m.forEach((t, i) => set(t, `optimizer.m.${i}`));
    this.v.forEach((t, i) => set(t, `optimizer.v.${i}`));
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
    this.m = [];
    this.v = [];
  }
}
