/**
 * An encoder with its masked-language-model head, as *ForMaskedLM computes it: the encoder's last
 * hidden states at the masked positions only (the rest carry label -100 and no loss), through the
 * head to vocabulary logits, mean cross-entropy over those positions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HfCheckpoint } from '../checkpoint';
import { configLabels } from '../fit-weights';
import { EncoderModel } from '../model';
import { trainableFrom } from '../saved-modules';
import type { HfConfig } from '../types';
import { loadMlmHead, mlmHeadSpec, mlmLogits, type LoadedHead, type MlmHeadSpec } from './head';

/** One masked batch as nested arrays: labels are the original id where masked, -100 elsewhere. */
export interface MaskedBatch {
  inputIds: number[][];
  attentionMask: number[][];
  labels: number[][];
}

export const IGNORE = -100;

export class MlmModel {
  readonly head = new Map<string, tf.Variable>();
  /** True when the checkpoint had no MLM head and it started fresh. */
  readonly freshHead: boolean;

  private constructor(
    readonly encoder: EncoderModel,
    readonly spec: MlmHeadSpec,
    loaded: LoadedHead,
  ) {
    this.freshHead = loaded.fresh;
    for (const [name, t] of loaded.tensors) this.head.set(name, trainableFrom(t));
  }

  /** `config` replaces the checkpoint's (e.g. without dropout); the seed draws a missing head. */
  static fromCheckpoint(c: HfCheckpoint, opts: { seed?: number; config?: HfConfig } = {}): MlmModel {
    const config = opts.config ?? c.config;
    const spec = mlmHeadSpec(config);
    // The head first: a checkpoint it refuses leaves no encoder variables behind.
    const head = loadMlmHead({ ...c, config }, opts.seed ?? 0);
    return new MlmModel(EncoderModel.fromCheckpoint(c, { config, numLabels: configLabels(config), seed: opts.seed ?? 0 }), spec, head);
  }

  get config(): HfConfig {
    return this.encoder.config;
  }

  get wordEmbeddingsName(): string {
    return `${this.encoder.architecture.prefix}.embeddings.word_embeddings.weight`;
  }

  /**
   * What pretraining updates: the encoder's own weights (the word embeddings, which the decoder
   * shares, included) and the head. The sequence-classification head is left out: MLM never
   * reaches it.
   */
  trainable(): Map<string, tf.Variable> {
    const prefix = `${this.encoder.architecture.prefix}.`;
    const out = new Map<string, tf.Variable>();
    for (const [name, v] of this.encoder.weights) if (name.startsWith(prefix) && !name.includes('.pooler.')) out.set(name, v);
    for (const [name, v] of this.head) out.set(name, v);
    return out;
  }

  /** Mean MLM cross-entropy of a batch (call inside tf.tidy or a gradient closure). */
  loss(batch: MaskedBatch, opts: { training?: boolean; seed?: number } = {}): tf.Scalar {
    return this.lossAndHits(batch, opts).loss;
  }

  /** The loss and how many masked tokens the head's top logit names rightly. */
  private lossAndHits(batch: MaskedBatch, opts: { training?: boolean; seed?: number }): { loss: tf.Scalar; hits: tf.Scalar } {
    const positions: number[] = [];
    const targets: number[] = [];
    const width = batch.inputIds[0]?.length ?? 0;
    batch.labels.forEach((row, b) => row.forEach((label, i) => label !== IGNORE && (positions.push(b * width + i), targets.push(label))));
    if (!positions.length) throw new Error('MLM batch has no masked token to predict');
    const inputIds = tf.tensor2d(batch.inputIds, undefined, 'int32');
    const attentionMask = tf.tensor2d(batch.attentionMask, undefined, 'int32');
    const out = this.encoder.forward({ inputIds, attentionMask }, { training: opts.training ?? false, seed: opts.seed });
    const hidden = out.lastHidden;
    const flat = tf.reshape(hidden, [-1, hidden.shape[2]]);
    const picked = tf.gather(flat, tf.tensor1d(positions, 'int32')) as tf.Tensor2D;
    const param = (name: string) => {
      const v = this.head.get(name);
      if (!v) throw new Error(`MLM head weight '${name}' is missing`);
      return v;
    };
    const logits = mlmLogits(this.spec, this.config, param, this.encoder.weights.get(this.wordEmbeddingsName)!, picked);
    const target = tf.tensor1d(targets, 'int32');
    // Each row's target log-probability by flat index: a one-hot over the vocabulary would cost
    // two more passes over [M, V] forward and back.
    const vocab = logits.shape[1];
    const chosen = tf.gather(
      tf.reshape(tf.logSoftmax(logits, -1), [-1]),
      tf.tensor1d(
        targets.map((t, m) => m * vocab + t),
        'int32',
      ),
    );
    const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), target), 'float32')) as tf.Scalar;
    return { loss: tf.neg(tf.mean(chosen)) as tf.Scalar, hits };
  }

  /** The loss, the masked tokens predicted rightly, and the gradient of every trainable tensor by name (training mode). */
  gradients(batch: MaskedBatch, seed: number): { loss: tf.Scalar; hits: tf.Scalar; grads: Map<string, tf.Tensor> } {
    const trainable = this.trainable();
    const names = [...trainable.keys()];
    const byVar = new Map(names.map((n) => [trainable.get(n)!.name, n]));
    let hits: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(
      () =>
        tf.tidy(() => {
          const r = this.lossAndHits(batch, { training: true, seed });
          hits = tf.keep(r.hits);
          return r.loss;
        }),
      names.map((n) => trainable.get(n)!),
    );
    const named = new Map<string, tf.Tensor>();
    for (const [varName, g] of Object.entries(grads)) named.set(byVar.get(varName)!, g);
    return { loss: value, hits: hits!, grads: named };
  }

  dispose(): void {
    this.encoder.dispose();
    for (const v of this.head.values()) v.dispose();
    this.head.clear();
  }
}
