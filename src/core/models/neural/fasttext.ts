/**
 * fastText-style classifier (Joulin et al. 2016): the mean of word and hashed-bigram
 * embeddings, then one linear layer. Trained with the shared TF.js loop, on whichever backend
 * the entry point chose (WebGPU, WASM or CPU).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Example } from '../../data/types';
import { trainNetwork, predictNetwork, type LoopConfig, type Network } from '../../train/loop';
import type { Encoded } from '../../train/batches';
import { Rng, deriveSeed } from '../../util/random';
import type { Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { Dictionary, type VocabConfig } from './vocab';

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

  constructor(readonly params: FastTextParams) {}

  variables(): tf.Variable[] {
    return [this.emb!, this.w!, this.b!];
  }

  logits(ids: tf.Tensor2D, mask: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const [bsz, len] = ids.shape;
      const e = tf.reshape(tf.gather(this.emb!, tf.reshape(ids, [-1])), [bsz, len, this.params.dim]);
      const summed = tf.sum(tf.mul(e, tf.expandDims(mask, 2)), 1);
      const count = tf.maximum(tf.sum(mask, 1, true), 1);
      return tf.add(tf.matMul(tf.div(summed, count), this.w!), this.b!) as tf.Tensor2D;
    });
  }

  private init(rows: number, classes: number, seed: number): void {
    const rng = new Rng(deriveSeed(seed, 'fasttext-init'));
    const d = this.params.dim;
    // fastText initialises input vectors uniformly in ±1/dim and the output layer at zero.
    const e = new Float32Array(rows * d);
    for (let i = d; i < e.length; i++) e[i] = (rng.next() * 2 - 1) / d;
    this.emb = tf.variable(tf.tensor2d(e, [rows, d]), true);
    this.w = tf.variable(tf.zeros([d, classes]), true);
    this.b = tf.variable(tf.zeros([classes]), true);
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
    return trainNetwork(this, this.encode(train), ctx.validation ? this.encode(ctx.validation) : undefined, this.params.loop, ctx);
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
    ft.emb = tf.variable(tf.tensor(t.embedding.data, t.embedding.shape), true);
    ft.w = tf.variable(tf.tensor(t['output.weight'].data, t['output.weight'].shape), true);
    ft.b = tf.variable(tf.tensor(t['output.bias'].data, t['output.bias'].shape), true);
    return ft;
  }

  dispose(): void {
    tf.dispose([this.emb, this.w, this.b].filter((v): v is tf.Variable => !!v));
    this.emb = this.w = this.b = undefined;
  }
}
