/**
 * The contract every pretrained encoder file (bert.ts, distilbert.ts, roberta.ts, electra.ts,
 * deberta-v2.ts) implements, so that fine-tuning, PEFT and the estimator treat them alike.
 *
 * Weights are addressed by their Hugging Face state-dict names WITH the architecture prefix
 * (`bert.encoder.layer.0.attention.self.query.weight`); a loader adds the prefix when a
 * checkpoint (a bare BertModel such as MiniLM) has none. Every linear layer goes through
 * `dense(module, x)` so that LoRA, IA3, adapters and BitFit can wrap it by module name, exactly
 * as PEFT's `target_modules` match names.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** The subset of a checkpoint's config.json the encoders read (snake_case as Hugging Face writes it). */
export type HfConfig = Record<string, unknown> & { model_type: string; architectures?: string[] };

export interface EncoderContext {
  /** A weight by its full prefixed name; throws a clear error naming a missing one. */
  param(name: string): tf.Tensor;
  /** y = x W^T + b for the linear module `module` (e.g. `bert.encoder.layer.0.output.dense`). */
  dense(module: string, x: tf.Tensor): tf.Tensor;
  /** Dropout with probability p when training, identity otherwise (p = 0: identity). */
  dropout(x: tf.Tensor, p: number): tf.Tensor;
  training: boolean;
}

export interface EncoderInputs {
  /** [batch, length] int32 token ids. */
  inputIds: tf.Tensor2D;
  /** [batch, length] 1 for tokens, 0 for padding. */
  attentionMask: tf.Tensor2D;
}

export interface EncoderOutputs {
  /** [batch, length, hidden]: what PyTorch calls last_hidden_state. */
  lastHidden: tf.Tensor3D;
  /** [batch, numLabels]: the sequence-classification head's logits. */
  logits: tf.Tensor2D;
}

export interface EncoderArchitecture extends WeightShapes {
  /** `model_type` values of config.json this file handles (e.g. ['bert']). */
  modelTypes: string[];
  /** State-dict prefix of the base model (`bert`, `distilbert`, `roberta`, `electra`, `deberta`). */
  prefix: string;
  /** Throws a clear error naming any config option the implementation does not support. */
  validate(config: HfConfig): void;
  /** Modules PEFT targets by default for this architecture (as in PEFT's own mapping). */
  defaultLoraTargets: string[];
  forward(config: HfConfig, inputs: EncoderInputs, ctx: EncoderContext): EncoderOutputs;
}

/**
 * Optional on EncoderArchitecture (added after the first files were written against it): the shape
 * of every weight by prefixed name, head included, for a config and a number of labels. Random
 * models for benchmarks and fresh heads for bare checkpoints are built from it.
 */
export interface WeightShapes {
  weightShapes?(config: HfConfig, numLabels: number): Record<string, number[]>;
}
