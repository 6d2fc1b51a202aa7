/**
 * The shared body of the sequence classifiers trained from scratch (TextCNN, Transformer,
 * BiGRU): a word vocabulary, named variables created with seeded initialisers, the training
 * loop, save/load and resume. Subclasses declare their variables and their forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Example } from '../../data/types';
import type { Encoded } from '../../train/batches';
import { predictNetwork, trainNetwork, type LoopConfig, type Network } from '../../train/loop';
import { Rng, deriveSeed } from '../../util/random';
import type { Estimator, FitContext, FitSummary, ModelArtifact, TokenAttribution } from '../estimator';
import { gradientTimesInput } from './attribution';
import { owned, readVariable } from './variables';
import { ConfigError } from '../../util/errors';
import { WordPiece } from './wordpiece';
import { WordVocab, type TokenVocab } from './word-vocab';

export interface SequenceParams {
  minCount: number;
  maxWords: number;
  maxTokens: number;
  tokenizer?: 'words' | 'wordpiece';
  /** The WordPiece vocabulary in id order, for tokenizer 'wordpiece'. */
  vocab?: string[];
  vocabFile?: string;
  /** Dropout rate of the model's dropout layers. */
  dropout: number;
  train: LoopConfig;
}

/** Shapes and initialisers of a model's variables, in a fixed order. */
export type VariableSpec = Record<string, { shape: number[]; init: 'glorot' | 'zeros' | 'ones' | 'embedding' }>;

export abstract class SequenceModel<P extends SequenceParams> implements Estimator, Network {
  abstract readonly kind: string;
  readonly family = 'neural' as const;
  protected vocab?: TokenVocab;
  protected vars: Record<string, tf.Variable> = {};

  constructor(readonly params: P) {}

  protected abstract spec(vocabSize: number, classes: number): VariableSpec;
  /** From the token embeddings [B, L, E] to the sentence representation the classifier reads [B, H]. */
  abstract pool(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D;
  /** The classifier on the sentence representation (dropout, then the output layer). */
  abstract head(pooled: tf.Tensor2D, training: boolean, seed: number): tf.Tensor2D;

  variables(): tf.Variable[] {
    return Object.values(this.vars);
  }

  get dropoutRate(): number {
    return this.params.dropout;
  }

  /** The token embeddings (the embedding layer's output, before positions or dropout). */
  embed(ids: tf.Tensor2D): tf.Tensor3D {
    const [bsz, len] = ids.shape;
    const table = this.vars.embedding;
    return tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [bsz, len, table.shape[1]!]);
  }

  logits(ids: tf.Tensor2D, mask: tf.Tensor2D, training: boolean, seed = 0): tf.Tensor2D {
    return tf.tidy(() => this.head(this.pool(this.embed(ids), mask, training, seed), training, seed));
  }

  /** Both tokenisers give an empty text the unknown id alone. */
  unknownIds(): number[] {
    return [this.vocab!.encode('', 1)[0]];
  }

  /** Dropout with a per-call seed, so a resumed run draws the same masks. */
  protected dropout(x: tf.Tensor, rate: number, training: boolean, seed: number): tf.Tensor {
    return training && rate > 0 ? tf.dropout(x, rate, undefined, seed) : x;
  }

  private init(classes: number, seed: number): void {
    const rng = new Rng(deriveSeed(seed, `${this.kind}-init`));
    for (const [name, { shape, init }] of Object.entries(this.spec(this.vocab!.size, classes))) {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      if (init === 'ones') data.fill(1);
      else if (init === 'glorot') {
        // Glorot/Xavier uniform over the last two dims (fan-in, fan-out), as Keras' default.
        const fanIn = shape.length > 1 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : shape[0];
        const limit = Math.sqrt(6 / (fanIn + shape[shape.length - 1]));
        for (let i = 0; i < n; i++) data[i] = (rng.next() * 2 - 1) * limit;
      } else if (init === 'embedding') {
        for (let i = shape[1]; i < n; i++) data[i] = rng.normal() * 0.1; // row 0 (padding) stays zero
      }
      this.vars[name] = owned(() => tf.tensor(data, shape));
    }
  }

  protected encode(examples: { text: string; label?: number }[]): Encoded {
    return { ids: examples.map((e) => this.vocab!.encode(e.text, this.params.maxTokens)), labels: Int32Array.from(examples, (e) => e.label ?? 0) };
  }

  async fit(train: Example[], ctx: FitContext): Promise<FitSummary> {
    this.dispose();
    if (ctx.resume) this.restore(ctx.resume);
    else {
      ctx.onEvent?.({ type: 'phase', phase: 'Building the vocabulary', done: 0, total: 1 });
      this.vocab =
        this.params.tokenizer === 'wordpiece'
          ? this.wordPiece()
          : WordVocab.build(
              train.map((e) => e.text),
              this.params.minCount,
              this.params.maxWords,
            );
      this.init(ctx.classes.length, ctx.seed);
    }
    ctx.onEvent?.({ type: 'log', level: 'info', message: `${this.kind}: vocabulary ${this.vocab!.size}, ${this.parameterCount().toLocaleString('en')} parameters` });
    return trainNetwork(this, this.encode(train), ctx.validation ? this.encode(ctx.validation) : undefined, this.params.train, ctx);
  }

  private wordPiece(): WordPiece {
    const { vocab, vocabFile } = this.params;
    if (vocab?.length) return new WordPiece(vocab);
    throw new ConfigError(
      vocabFile
        ? `model.vocabFile "${vocabFile}" was not read: the CLI reads a local path, the page an http(s) URL such as https://huggingface.co/bert-base-uncased/resolve/main/vocab.txt`
        : 'model.tokenizer "wordpiece" needs a vocabulary: set model.vocabFile (e.g. a BERT vocab.txt) or model.vocab',
    );
  }

  /** Gradient × input on the token embeddings, over the tokens prediction would see. */
  explain(text: string, target?: number): Promise<TokenAttribution> {
    const maxLen = Math.min(this.params.maxTokens, this.params.train.maxLen);
    return gradientTimesInput(this, this.vars.embedding, this.vocab!.encode(text, maxLen), this.vocab!.display(text, maxLen), target);
  }

  predictProba(texts: string[]): Promise<Float32Array[]> {
    return predictNetwork(this, this.encode(texts.map((text) => ({ text }))), 256, this.params.train.maxLen);
  }

  parameterCount(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  snapshot(): Promise<ModelArtifact> {
    return this.save();
  }

  async save(): Promise<ModelArtifact> {
    const tensors: ModelArtifact['tensors'] = {};
    for (const [name, v] of Object.entries(this.vars)) tensors[name] = await readVariable(v);
    // A WordPiece vocabulary is saved once, as the words.
    const params = { ...this.params, vocab: undefined };
    return { kind: this.kind, meta: { params, words: this.vocab!.words, order: Object.keys(this.vars) }, tensors };
  }

  protected restore(a: ModelArtifact): void {
    const m = a.meta as { words: string[]; order: string[] };
    this.vocab = this.params.tokenizer === 'wordpiece' ? new WordPiece(m.words) : new WordVocab(m.words);
    this.vars = {};
    for (const name of m.order) this.vars[name] = owned(() => tf.tensor(a.tensors[name].data, a.tensors[name].shape));
  }

  dispose(): void {
    tf.dispose(this.variables());
    this.vars = {};
  }
}
