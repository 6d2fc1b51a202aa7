/**
 * fastText-style classifier (Joulin et al. 2016): the mean of word and hashed-bigram
 * embeddings, then one linear layer. Trained with the shared TF.js loop, on whichever backend
 * the entry point chose (WebGPU, WASM or CPU), or, with the `fasttext-sgd` optimizer, by
 * fastText's own algorithm on host arrays: that model never touches TF.js, so the entry point
 * need not start a tensor backend to fit, load or use it (registry.ts: trainsWithTensors).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Example } from '../../data/types';
import type { Batch, Encoded } from '../../train/batches';
import { batchLoss, predictNetwork, trainNetwork, type LoopConfig, type LossOptions, type Network } from '../../train/loop';
import type { SparseGrads } from '../../train/network';
import { deriveSeed } from '../../util/random';
import type { TokenAttribution } from '../estimator';
import type { Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { checkSoftTargets } from '../../train/distill-loss';
import { activeTechniques } from '../../train/techniques/plan';
import { ConfigError } from '../../util/errors';
import { initInput, predictSgd, trainSgd, type SgdWeights } from './fasttext-sgd';
import { Dictionary, tokenizerFor, type BigramHash, type VocabConfig } from './vocab';
import { owned, readVariable } from './variables';

export interface FastTextParams extends VocabConfig {
  dim: number;
  /** Example order of the fasttext-sgd trainer (see SgdOptions.order). */
  order: 'file' | 'shuffle';
  loop: LoopConfig;
}

/** The rows of `table` for each id: [B, L, dim]. */
function lookup(table: tf.Tensor, ids: tf.Tensor2D): tf.Tensor3D {
  const [bsz, len] = ids.shape;
  return tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [bsz, len, table.shape[1]!]);
}

/** Mean of the masked token embeddings: the text's representation. */
function bagMean(e: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const summed = tf.sum(tf.mul(e, tf.expandDims(mask, 2)), 1);
  return tf.div(summed, tf.maximum(tf.sum(mask, 1, true), 1)) as tf.Tensor2D;
}

/** Mean of the masked token embeddings, then the linear output layer. */
function classify(table: tf.Tensor, ids: tf.Tensor2D, mask: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(bagMean(lookup(table, ids), mask), w), b) as tf.Tensor2D;
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

type HostWeights = Omit<SgdWeights, 'dim' | 'k'>;

export class FastText implements Estimator, Network {
  readonly kind = 'fasttext';
  readonly family = 'neural' as const;
  private dict?: Dictionary;
  private emb?: tf.Variable;
  private w?: tf.Variable;
  private b?: tf.Variable;
  /** The fasttext-sgd model's weights; the tensor variables above stay unset for it. */
  private host?: HostWeights;

  constructor(readonly params: FastTextParams) {}

  private get onHost(): boolean {
    return this.params.loop.optimizer === 'fasttext-sgd';
  }

  variables(): tf.Variable[] {
    return [this.emb!, this.w!, this.b!];
  }

  logits(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => classify(this.emb!, ids, mask, this.w!, this.b!));
  }

  /** fastText has no dropout: R-Drop's two passes would be the same. */
  readonly dropoutRate = 0;

  embed(ids: tf.Tensor2D): tf.Tensor3D {
    return lookup(this.emb!, ids);
  }

  pool(emb: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    return bagMean(emb, mask);
  }

  head(pooled: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(pooled, this.w!), this.b!) as tf.Tensor2D;
  }

  /**
   * Gradients flow into a gathered copy of the embedding rows this batch uses, so the
   * optimizer can write back just those rows (lazy Adam): a dense optimizer would read and
   * write every row of a 100k-row table at each step, which dominates the step on a GPU and
   * far more on SwiftShader.
   */
  sparseGrads(batch: Batch, k: number, lossOpts: LossOptions): SparseGrads {
    const { rows, local } = remapRows(batch.hostIds);
    const ids = tf.tensor1d(rows, 'int32');
    return tf.tidy(() => {
      const localIds = tf.tensor2d(local, [batch.size, batch.len], 'int32');
      const current = tf.gather(this.emb!, ids);
      let right: tf.Tensor | undefined;
      const { value, grads } = tf.valueAndGrads((s: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
        const { loss, correct } = batchLoss(classify(s, localIds, batch.mask, w, b), batch.labels, k, lossOpts, batch.teacher);
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
    const d = this.params.dim;
    // fastText initialises input vectors uniformly in ±1/dim and the output layer at zero.
    this.emb = owned(() => tf.tensor2d(initInput(rows, d, deriveSeed(seed, 'fasttext-init')), [rows, d]));
    this.w = owned(() => tf.zeros([d, classes]));
    this.b = owned(() => tf.zeros([classes]));
  }

  encode(examples: { text: string; label?: number }[]): Encoded {
    return { ids: examples.map((e) => this.dict!.encode(e.text)), labels: Int32Array.from(examples, (e) => e.label ?? 0) };
  }

  async fit(train: Example[], ctx: FitContext): Promise<FitSummary> {
    this.dispose();
    const sgd = this.onHost;
    const techniques = activeTechniques(this.params.loop.techniques);
    if (sgd && techniques.length)
      throw new ConfigError(`${techniques.join(', ')}: optimizer "fasttext-sgd" is fastText's own per-example trainer, without them; use optimizer "adam" for the tensor loop`);
    let tokens: string[][] | undefined;
    if (ctx.resume) {
      this.restore(ctx.resume);
      ctx.onEvent?.({ type: 'log', level: 'info', message: `fastText: resuming from step ${(ctx.resume.meta.trainState as { step: number }).step}` });
    } else {
      ctx.onEvent?.({ type: 'phase', phase: 'Building the dictionary', done: 0, total: 1 });
      tokens = train.map((e) => tokenizerFor(this.params)(e.text));
      this.dict = Dictionary.fromTokens(tokens, this.params);
      ctx.onEvent?.({ type: 'phase', phase: 'Building the dictionary', done: 1, total: 1 });
      // The CPU trainer starts from host arrays: a 100M-entry table is not sent to a backend and read back.
      if (!sgd) this.init(this.dict.rows, ctx.classes.length, ctx.seed);
    }
    ctx.onEvent?.({
      type: 'log',
      level: 'info',
      message: `fastText: ${this.dict!.words.length} words + ${this.params.wordNgrams > 1 ? this.params.buckets : 0} bigram buckets, dim ${this.params.dim}, ${this.parameterCount(ctx.classes.length).toLocaleString('en')} parameters`,
    });
    tokens ??= train.map((e) => this.dict!.tokenize(e.text));
    const encoded = { ids: tokens.map((t) => this.dict!.encodeTokens(t)), labels: Int32Array.from(train, (e) => e.label) };
    if (sgd) return this.fitOnCpu(encoded, tokens, ctx);
    return trainNetwork(this, encoded, ctx.validation ? this.encode(ctx.validation) : undefined, this.params.loop, ctx);
  }

  /** fastText's own per-example SGD, in place on the host arrays (resumed ones, or fresh). */
  private async fitOnCpu(train: Encoded, tokens: string[][], ctx: FitContext): Promise<FitSummary> {
    const dim = this.params.dim;
    const k = ctx.classes.length;
    this.host ??= { emb: initInput(this.dict!.rows, dim, deriveSeed(ctx.seed, 'fasttext-init')), w: new Float32Array(dim * k), b: new Float32Array(k) };
    const wt: SgdWeights = { ...this.host, dim, k };
    const loop = this.params.loop;
    if (ctx.softTargets) checkSoftTargets(ctx.softTargets, train.ids.length, k);
    const { steps } = await trainSgd(wt, train, {
      epochs: loop.epochs,
      lr: loop.lr,
      seed: deriveSeed(ctx.seed, 'batches'),
      order: this.params.order,
      // fastText's token count of a line: its words, the end-of-line token and the label.
      tokens: tokens.map((t) => Math.min(t.length, this.params.maxTokens) + 1),
      logEvery: Math.max(1, loop.logEvery * loop.batchSize),
      signal: ctx.signal,
      onEvent: ctx.onEvent,
      validation: ctx.validation ? this.encode(ctx.validation) : undefined,
      distill: ctx.softTargets,
    });
    return { epochs: loop.epochs, steps };
  }

  private async hostWeights(): Promise<HostWeights> {
    if (this.host) return this.host;
    const [emb, w, b] = await Promise.all([this.emb!, this.w!, this.b!].map(async (v) => (await v.data()) as Float32Array));
    return { emb, w, b };
  }

  private get classCount(): number {
    return this.host?.b.length ?? this.b?.size ?? 0;
  }

  async predictProba(texts: string[]): Promise<Float32Array[]> {
    // Without a GPU, the per-text sparse sums in plain TypeScript beat a dense tensor batch.
    if (this.host || tf.getBackend() !== 'webgpu')
      return predictSgd({ ...(await this.hostWeights()), dim: this.params.dim, k: this.classCount }, this.encode(texts.map((text) => ({ text }))));
    return predictNetwork(this, this.encode(texts.map((text) => ({ text }))), 512, this.params.loop.maxLen);
  }

  /**
   * Gradient × input for the averaged embedding bag: the logit is linear in each input row, so
   * row r adds exactly E[r]·W[:, target] / n. A word gets its own row and half of each bigram
   * it is part of, so the token scores still add up to the logit minus the bias.
   */
  async explain(text: string, target?: number): Promise<TokenAttribution> {
    const tokens = this.dict!.tokenize(text).slice(0, this.params.maxTokens);
    const { ids, at, bigram } = this.dict!.inputRows(tokens);
    const { emb, w, b } = await this.hostWeights();
    const { dim } = this.params;
    const k = b.length;
    const n = Math.max(1, ids.length);
    const logits = Float64Array.from(b);
    const rowLogit = ids.map((r) => {
      const out = new Float64Array(k);
      for (let d = 0; d < dim; d++) for (let c = 0; c < k; c++) out[c] += (emb[r * dim + d] * w[d * k + c]) / n;
      for (let c = 0; c < k; c++) logits[c] += out[c];
      return out;
    });
    const max = Math.max(...logits);
    const z = Array.from(logits, (x) => Math.exp(x - max));
    const probs = z.map((x) => x / z.reduce((a, c) => a + c, 0));
    const t = target ?? probs.indexOf(Math.max(...probs));
    if (!(Number.isInteger(t) && t >= 0 && t < k)) throw new RangeError(`target class ${target} is not one of 0..${k - 1}`);
    const scores = new Array<number>(tokens.length).fill(0);
    rowLogit.forEach((v, j) => {
      if (!bigram[j]) scores[at[j]] += v[t];
      else {
        scores[at[j]] += v[t] / 2;
        scores[at[j] + 1] += v[t] / 2;
      }
    });
    return { tokens, scores, target: t, probs, method: 'gradient × input (exact: the fastText head is linear in its inputs)' };
  }

  parameterCount(classes = this.classCount): number {
    return this.dict ? this.dict.rows * this.params.dim + (this.params.dim + 1) * classes : 0;
  }

  snapshot(): Promise<ModelArtifact> {
    return this.save();
  }

  async save(): Promise<ModelArtifact> {
    const meta = { params: this.params, words: this.dict!.words, bigramHash: this.dict!.hash };
    if (this.host) {
      const { emb, w, b } = this.host;
      const { dim } = this.params;
      const f32 = (data: Float32Array, shape: number[]) => ({ dtype: 'F32' as const, shape, data: data.slice() });
      return { kind: this.kind, meta, tensors: { embedding: f32(emb, [emb.length / dim, dim]), 'output.weight': f32(w, [dim, b.length]), 'output.bias': f32(b, [b.length]) } };
    }
    return {
      kind: this.kind,
      meta,
      tensors: { embedding: await readVariable(this.emb!), 'output.weight': await readVariable(this.w!), 'output.bias': await readVariable(this.b!) },
    };
  }

  private restore(a: ModelArtifact): void {
    const m = a.meta as { words: string[]; bigramHash?: BigramHash };
    this.dict = new Dictionary(m.words, this.params, m.bigramHash ?? 'fnv1a-pair');
    const t = a.tensors;
    if (this.onHost) {
      // Copies: the SGD updates these in place, and the artifact may be a checkpoint still in use.
      this.host = { emb: Float32Array.from(t.embedding.data), w: Float32Array.from(t['output.weight'].data), b: Float32Array.from(t['output.bias'].data) };
      return;
    }
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
    const vars = [this.emb, this.w, this.b].filter((v): v is tf.Variable => !!v);
    if (vars.length) tf.dispose(vars);
    this.emb = this.w = this.b = undefined;
    this.host = undefined;
  }
}
