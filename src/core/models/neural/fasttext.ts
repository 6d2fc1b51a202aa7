/**
 * fastText-style classifier (Joulin et al. 2016): the mean of word and hashed-bigram
 * embeddings, then one linear layer. Trained with the shared TF.js loop, on whichever backend
 * the entry point chose (WebGPU, WASM or CPU).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Example } from '../../data/types';
import type { Batch, Encoded } from '../../train/batches';
import { batchLoss, predictNetwork, trainNetwork, type LoopConfig, type Network } from '../../train/loop';
import type { SparseGrads } from '../../train/network';
import { Rng, deriveSeed } from '../../util/random';
import type { Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { predictSgd, trainSgd } from './fasttext-sgd';
import { Dictionary, type VocabConfig } from './vocab';
import { owned, readVariable } from './variables';

export interface FastTextParams extends VocabConfig {
  dim: number;
  loop: LoopConfig;
}

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

  logits(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => classify(this.emb!, ids, mask, this.w!, this.b!));
  }

  /**
   * Gradients flow into a gathered copy of the embedding rows this batch uses, so the
   * optimizer can write back just those rows (lazy Adam): a dense optimizer would read and
   * write every row of a 100k-row table at each step, which dominates the step on a GPU and
   * far more on SwiftShader.
   */
  sparseGrads(batch: Batch, k: number, labelSmoothing: number): SparseGrads {
    const { rows, local } = remapRows(batch.hostIds);
    const ids = tf.tensor1d(rows, 'int32');
    return tf.tidy(() => {
      const localIds = tf.tensor2d(local, [batch.size, batch.len], 'int32');
      const current = tf.gather(this.emb!, ids);
      let right: tf.Tensor | undefined;
      const { value, grads } = tf.valueAndGrads((s: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
        const { loss, correct } = batchLoss(classify(s, localIds, batch.mask, w, b), batch.labels, k, labelSmoothing);
        right = tf.keep(correct);
        return loss;
      })([current, this.w!, this.b!]);
      return {
        loss: tf.mul(value, batch.size),
        correct: right!,
        rows: { index: 0, ids: tf.keep(ids), current, grad: grads[0] },
        dense: [
          { index: 1, grad: grads[1] },
          { index: 2, grad: grads[2] },
        ],
      };
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
    if (ctx.resume) {
      this.restore(ctx.resume);
      ctx.onEvent?.({ type: 'log', level: 'info', message: `fastText: resuming from step ${(ctx.resume.meta.trainState as { step: number }).step}` });
    } else {
      ctx.onEvent?.({ type: 'phase', phase: 'Building the dictionary', done: 0, total: 1 });
      this.dict = Dictionary.build(train.map((e) => e.text), this.params);
      this.init(this.dict.rows, ctx.classes.length, ctx.seed);
    }
    ctx.onEvent?.({ type: 'log', level: 'info', message: `fastText: ${this.dict!.words.length} words + ${this.params.wordNgrams > 1 ? this.params.buckets : 0} bigram buckets, dim ${this.params.dim}, ${this.parameterCount()} parameters` });
    if (this.params.loop.optimizer === 'fasttext-sgd') return this.fitOnCpu(train, ctx);
    return trainNetwork(this, this.encode(train), ctx.validation ? this.encode(ctx.validation) : undefined, this.params.loop, ctx);
  }

  /** fastText's own per-example SGD on host arrays; the result goes back into the variables. */
  private async fitOnCpu(train: Example[], ctx: FitContext): Promise<FitSummary> {
    const [emb, w, b] = await Promise.all([this.emb!, this.w!, this.b!].map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
    const wt = { emb, w, b, dim: this.params.dim, k: ctx.classes.length };
    const loop = this.params.loop;
    const { steps } = await trainSgd(wt, this.encode(train), {
      epochs: loop.epochs,
      lr: loop.lr,
      seed: deriveSeed(ctx.seed, 'batches'),
      logEvery: Math.max(1, loop.logEvery * loop.batchSize),
      signal: ctx.signal,
      onEvent: ctx.onEvent,
      validation: ctx.validation ? this.encode(ctx.validation) : undefined,
    });
    this.dispose();
    this.emb = owned(() => tf.tensor2d(emb, [emb.length / wt.dim, wt.dim]));
    this.w = owned(() => tf.tensor2d(w, [wt.dim, wt.k]));
    this.b = owned(() => tf.tensor1d(b));
    return { epochs: loop.epochs, steps };
  }

  async predictProba(texts: string[]): Promise<Float32Array[]> {
    // Without a GPU, the per-text sparse sums in plain TypeScript beat a dense tensor batch.
    if (tf.getBackend() !== 'webgpu') {
      const [emb, w, b] = await Promise.all([this.emb!, this.w!, this.b!].map(async (v) => (await v.data()) as Float32Array));
      return predictSgd({ emb, w, b, dim: this.params.dim, k: this.b!.size }, this.encode(texts.map((text) => ({ text }))));
    }
    return predictNetwork(this, this.encode(texts.map((text) => ({ text }))), 512, this.params.loop.maxLen);
  }

  parameterCount(): number {
    return this.emb ? this.emb.size + this.w!.size + this.b!.size : 0;
  }

  snapshot(): Promise<ModelArtifact> {
    return this.save();
  }

  async save(): Promise<ModelArtifact> {
    return {
      kind: this.kind,
      meta: { params: this.params, words: this.dict!.words },
      tensors: { embedding: await readVariable(this.emb!), 'output.weight': await readVariable(this.w!), 'output.bias': await readVariable(this.b!) },
    };
  }

  private restore(a: ModelArtifact): void {
    const m = a.meta as { words: string[] };
    this.dict = new Dictionary(m.words, this.params);
    const t = a.tensors;
    this.emb = owned(() => tf.tensor(t.embedding.data, t.embedding.shape));
    this.w = owned(() => tf.tensor(t['output.weight'].data, t['output.weight'].shape));
    this.b = owned(() => tf.tensor(t['output.bias'].data, t['output.bias'].shape));
  }

  static load(a: ModelArtifact): FastText {
    const ft = new FastText((a.meta as { params: FastTextParams }).params);
    ft.restore(a);
    return ft;
  }

  dispose(): void {
    tf.dispose([this.emb, this.w, this.b].filter((v): v is tf.Variable => !!v));
    this.emb = this.w = this.b = undefined;
  }
}
