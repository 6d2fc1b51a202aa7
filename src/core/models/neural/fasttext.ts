/**
 * fastText-style classifier (Joulin et al. 2016): the mean of word and hashed-bigram
 * embeddings, then one linear layer. Trained with the shared TF.js loop, on whichever backend
 * the entry point chose (WebGPU, WASM or CPU).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Example } from '../../data/types';
import { batchLoss, trainNetwork, predictNetwork, type LoopConfig, type Network } from '../../train/loop';
import type { Batch, Encoded } from '../../train/batches';
import { Rng, deriveSeed } from '../../util/random';
import type { Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { Dictionary, type VocabConfig } from './vocab';

/** A variable that owns its value: tf.variable() keeps the source tensor alive otherwise. */
const owned = (make: () => tf.Tensor): tf.Variable => tf.tidy(() => tf.variable(make(), true));
const zerosVar = (like: tf.Tensor): tf.Variable => owned(() => tf.zerosLike(like));

/** tf.train.adam's defaults. */
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Mean of the masked token embeddings, then the linear output layer. */
function classify(table: tf.Tensor, ids: tf.Tensor2D, mask: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const [bsz, len] = ids.shape;
  const e = tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [bsz, len, table.shape[1]!]);
  const summed = tf.sum(tf.mul(e, tf.expandDims(mask, 2)), 1);
  const count = tf.maximum(tf.sum(mask, 1, true), 1);
  return tf.add(tf.matMul(tf.div(summed, count), w), b) as tf.Tensor2D;
}

/** The distinct ids of a batch, and the batch rewritten as indices into that list. */
function remapRows(ids: Int32Array): { rows: Int32Array; local: Int32Array } {
  const index = new Map<number, number>();
  const local = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let j = index.get(ids[i]);
    if (j === undefined) {
      j = index.size;
      index.set(ids[i], j);
    }
    local[i] = j;
  }
  return { rows: Int32Array.from(index.keys()), local };
}

export interface FastTextParams extends VocabConfig {
  dim: number;
  loop: LoopConfig;
}

export class FastText implements Estimator, Network {
  readonly kind = 'fasttext';
  readonly family = 'neural' as const;
  private dict?: Dictionary;
  private emb?: tf.Variable;
  private w?: tf.Variable;
  private b?: tf.Variable;
  /** Lazy-Adam state (moments of embedding, output weight, output bias) while training. */
  private adam?: { t: number; m: tf.Variable[]; v: tf.Variable[] };

  constructor(readonly params: FastTextParams) {}

  variables(): tf.Variable[] {
    return [this.emb!, this.w!, this.b!];
  }

  logits(ids: tf.Tensor2D, mask: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    return tf.tidy(() => classify(this.emb!, ids, mask, this.w!, this.b!));
  }

  /**
   * Lazy Adam: the output layer gets a normal Adam step; the embedding table only in the rows
   * this batch uses. Gradients flow into a gathered copy of those rows, written back with one
   * scatter per table, so a step does not read and write every row of a 100k-row table (with
   * a dense optimizer that dominates the step, on a GPU and far more on SwiftShader).
   */
  sparseStep(batch: Batch, lr: number, k: number, labelSmoothing: number): [tf.Tensor, tf.Tensor] {
    const { rows, local } = remapRows(batch.hostIds);
    const st = (this.adam ??= {
      t: 0,
      m: [zerosVar(this.emb!), zerosVar(this.w!), zerosVar(this.b!)],
      v: [zerosVar(this.emb!), zerosVar(this.w!), zerosVar(this.b!)],
    });
    st.t++;
    const c1 = 1 - ADAM.beta1 ** st.t;
    const c2 = 1 - ADAM.beta2 ** st.t;
    const adam = (p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor) => {
      const m2 = tf.add(tf.mul(m, ADAM.beta1), tf.mul(g, 1 - ADAM.beta1));
      const v2 = tf.add(tf.mul(v, ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2));
      const step = tf.div(tf.mul(m2, lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), ADAM.epsilon));
      return [tf.sub(p, step), m2, v2];
    };
    return tf.tidy(() => {
      const rowIds = tf.tensor1d(rows, 'int32');
      const at = tf.expandDims(rowIds, 1);
      const localIds = tf.tensor2d(local, [batch.size, batch.len], 'int32');
      const sub = tf.gather(this.emb!, rowIds);
      let right: tf.Tensor | undefined;
      const { value, grads } = tf.valueAndGrads((s: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
        const { loss, correct } = batchLoss(classify(s, localIds, batch.mask, w, b), batch.labels, k, labelSmoothing);
        right = tf.keep(correct);
        return loss;
      })([sub, this.w!, this.b!]);
      const [rowsNew, mRows, vRows] = adam(sub, grads[0], tf.gather(st.m[0], rowIds), tf.gather(st.v[0], rowIds));
      this.emb!.assign(tf.tensorScatterUpdate(this.emb!, at, rowsNew));
      st.m[0].assign(tf.tensorScatterUpdate(st.m[0], at, mRows));
      st.v[0].assign(tf.tensorScatterUpdate(st.v[0], at, vRows));
      [this.w!, this.b!].forEach((p, i) => {
        const [p2, m2, v2] = adam(p, grads[i + 1], st.m[i + 1], st.v[i + 1]);
        p.assign(p2);
        st.m[i + 1].assign(m2);
        st.v[i + 1].assign(v2);
      });
      return [tf.mul(value, batch.size), right!] as [tf.Tensor, tf.Tensor];
    });
  }

  private init(rows: number, classes: number, seed: number): void {
    const rng = new Rng(deriveSeed(seed, 'fasttext-init'));
    const d = this.params.dim;
    // fastText initialises input vectors uniformly in ±1/dim and the output layer at zero.
    const e = new Float32Array(rows * d);
    for (let i = d; i < e.length; i++) e[i] = (rng.next() * 2 - 1) / d;
    this.emb = owned(() => tf.tensor2d(e, [rows, d]));
    this.w = owned(() => tf.zeros([d, classes]));
    this.b = owned(() => tf.zeros([classes]));
  }

  encode(examples: { text: string; label?: number }[]): Encoded {
    return { ids: examples.map((e) => this.dict!.encode(e.text)), labels: Int32Array.from(examples, (e) => e.label ?? 0) };
  }

  async fit(train: Example[], ctx: FitContext): Promise<FitSummary> {
    this.dispose();
    ctx.onEvent?.({ type: 'phase', phase: 'Building the dictionary', done: 0, total: 1 });
    this.dict = Dictionary.build(train.map((e) => e.text), this.params);
    this.init(this.dict.rows, ctx.classes.length, ctx.seed);
    ctx.onEvent?.({ type: 'log', level: 'info', message: `fastText: ${this.dict.words.length} words + ${this.params.wordNgrams > 1 ? this.params.buckets : 0} bigram buckets, dim ${this.params.dim}, ${this.parameterCount()} parameters` });
    try {
      return await trainNetwork(this, this.encode(train), ctx.validation ? this.encode(ctx.validation) : undefined, this.params.loop, ctx);
    } finally {
      tf.dispose([...(this.adam?.m ?? []), ...(this.adam?.v ?? [])]);
      this.adam = undefined;
    }
  }

  async predictProba(texts: string[]): Promise<Float32Array[]> {
    return predictNetwork(this, this.encode(texts.map((text) => ({ text }))), 512, this.params.loop.maxLen);
  }

  parameterCount(): number {
    return this.emb ? this.emb.size + this.w!.size + this.b!.size : 0;
  }

  async save(): Promise<ModelArtifact> {
    const read = async (v: tf.Variable) => ({ dtype: 'F32' as const, shape: v.shape, data: (await v.data()) as Float32Array });
    return {
      kind: this.kind,
      meta: { params: this.params, words: this.dict!.words },
      tensors: { embedding: await read(this.emb!), 'output.weight': await read(this.w!), 'output.bias': await read(this.b!) },
    };
  }

  static load(a: ModelArtifact): FastText {
    const m = a.meta as { params: FastTextParams; words: string[] };
    const ft = new FastText(m.params);
    ft.dict = new Dictionary(m.words, m.params);
    const t = a.tensors;
    ft.emb = owned(() => tf.tensor(t.embedding.data, t.embedding.shape));
    ft.w = owned(() => tf.tensor(t['output.weight'].data, t['output.weight'].shape));
    ft.b = owned(() => tf.tensor(t['output.bias'].data, t['output.bias'].shape));
    return ft;
  }

  dispose(): void {
    tf.dispose([this.emb, this.w, this.b, ...(this.adam?.m ?? []), ...(this.adam?.v ?? [])].filter((v): v is tf.Variable => !!v));
    this.emb = this.w = this.b = this.adam = undefined;
  }
}
