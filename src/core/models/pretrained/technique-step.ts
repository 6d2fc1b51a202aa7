/**
 * One fine-tuning batch's loss and gradients with the training techniques on (issue 18), from the
 * shared maths in train/techniques: the hard-label term with focal modulation and class weights,
 * mixup of the pooled sentence vector (and of the targets and teacher rows), R-Drop's second
 * dropout pass, and FGM / PGD / FreeLB on the embedding output (hooks.ts). Every random choice
 * (mix partners and lambda, R-Drop's second masks) comes from seeds the loop derives per batch,
 * so a resumed run draws the same ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { distillLoss, type DistillSettings } from '../../train/distill-loss';
import { adversarialGradients } from '../../train/techniques/adversarial';
import type { AdversarialConfig } from '../../train/techniques/config';
import { hardLoss, rdropLoss, type HardLossOptions } from '../../train/techniques/losses';
import { mixRows, type MixPlan } from '../../train/techniques/mixup';
import type { DenseAdapter } from './context';
import type { ForwardHooks } from './hooks';
import type { EncoderModel } from './model';
import { num } from './ops';

/** What the loop switches on for one batch; an empty object is plain cross-entropy. */
export interface StepTechniques {
  /** Focal modulation and class weights of the hard-label term. */
  hard?: HardLossOptions;
  /** Mixup: this batch's lambda and partners. */
  mix?: MixPlan;
  /** R-Drop: the weight of the symmetric KL and the second pass's dropout seed. */
  rdrop?: { alpha: number; seed: number };
  adversarial?: AdversarialConfig;
}

export const usesTechniques = (t: StepTechniques | undefined): t is StepTechniques => !!t && !!(t.hard || t.mix || t.rdrop || t.adversarial);

const PLAIN: HardLossOptions = { labelSmoothing: 0, gamma: 0, normalize: 'weights' };

export interface TechniqueBatch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  labels: tf.Tensor1D;
}

export interface TechniqueOptions {
  trainable: ReadonlyMap<string, tf.Variable>;
  adapters?: DenseAdapter[];
  overrides?: ReadonlyMap<string, tf.Tensor>;
  seed?: number;
  teacher?: { probs: tf.Tensor2D; settings: DistillSettings };
  techniques: StepTechniques;
}

/**
 * The batch's task loss for logits [B, K]: the hard term against the (mixed) one-hot targets and,
 * with a teacher, alpha * hard + (1 - alpha) * T^2 KL against the (mixed) teacher rows, which is
 * train/distill-loss's loss when neither focal loss, class weights nor mixup is on.
 */
export function taskLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, t: StepTechniques, teacher?: TechniqueOptions['teacher']): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.cast(labels, 'int32') as tf.Tensor1D;
    if (!t.hard && !t.mix)
      return teacher ? distillLoss(logits, y, teacher.probs, teacher.settings) : hardLoss(logits, tf.oneHot(y, logits.shape[1]).toFloat() as tf.Tensor2D, PLAIN);
    const onehot = tf.oneHot(y, logits.shape[1]).toFloat() as tf.Tensor2D;
    const hard = hardLoss(logits, t.mix ? mixRows(onehot, t.mix) : onehot, t.hard ?? PLAIN);
    if (!teacher) return hard;
    const { alpha, temperature } = teacher.settings;
    const soft = distillLoss(logits, y, t.mix ? mixRows(teacher.probs, t.mix) : teacher.probs, { alpha: 0, temperature });
    return tf.add(tf.mul(alpha, hard), tf.mul(1 - alpha, soft)) as tf.Scalar;
  });
}

/** Width of the embedding output the encoder stack reads (ELECTRA's after its projection). */
function embeddingWidth(model: EncoderModel): number {
  return num(model.config, 'hidden_size', num(model.config, 'dim', 0));
}

/** Loss, correct predictions (of the first, unperturbed pass) and gradients by trainable name. */
export function techniqueGradients(model: EncoderModel, batch: TechniqueBatch, opts: TechniqueOptions): { loss: tf.Scalar; correct: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const t = opts.techniques;
  const names = [...opts.trainable.keys()];
  const vars = names.map((n) => opts.trainable.get(n)!);
  let correct: tf.Scalar | undefined;
  const forward = (seed: number | undefined, delta?: tf.Tensor) => {
    const hooks: ForwardHooks = {
      ...(delta ? { embeddings: (x: tf.Tensor) => tf.add(x, delta) } : {}),
      ...(t.mix ? { pooled: (x: tf.Tensor) => mixRows(x, t.mix!) } : {}),
    };
    return model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask }, { training: true, seed, adapters: opts.adapters, overrides: opts.overrides, hooks })
      .logits;
  };
  // One pass (two with R-Drop) at a perturbation of the embedding output; the same masks on every call.
  const loss = (delta?: tf.Tensor): tf.Scalar => {
    const logits = forward(opts.seed, delta);
    correct ??= tf.keep(tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(batch.labels, 'int32')), 'float32')) as tf.Scalar));
    const first = taskLoss(logits, batch.labels, t, opts.teacher);
    if (!t.rdrop) return first;
    const again = forward(t.rdrop.seed, delta);
    return rdropLoss(first, taskLoss(again, batch.labels, t, opts.teacher), logits, again, t.rdrop.alpha);
  };

  if (!t.adversarial) {
    const { value, grads } = tf.variableGrads(() => loss(), vars);
    const byVar = new Map(vars.map((v, i) => [v.name, names[i]]));
    return { loss: value, correct: correct!, grads: new Map(Object.entries(grads).map(([v, g]) => [byVar.get(v)!, g])) };
  }
  // A parameter no pass reaches (e.g. a head the pooling leaves unused) takes no step, as without the technique.
  let reached: boolean[] | undefined;
  const [b, l] = batch.inputIds.shape;
  const result = adversarialGradients(t.adversarial, [b, l, embeddingWidth(model)], (delta, params) => {
    const xs = params ? [delta, ...vars] : [delta];
    const { value, grads } = tf.engine().gradients(() => loss(delta), xs, undefined, true);
    const paramGrads = params ? grads.slice(1) : [];
    if (params) reached ??= paramGrads.map((g) => !!g);
    return { value, delta: grads[0], params: paramGrads.map((g, i) => g ?? tf.zerosLike(vars[i])) };
  });
  const grads = new Map<string, tf.Tensor>();
  result.params.forEach((g, i) => (reached![i] ? grads.set(names[i], g) : g.dispose()));
  return { loss: result.value as tf.Scalar, correct: correct!, grads };
}
