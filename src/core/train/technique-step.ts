/**
 * One batch's gradients under the techniques that change the forward pass: mixup of the pooled
 * representations, R-Drop's second dropout pass and adversarial perturbations of the embedding
 * output. Every random choice comes from the step's seeds, so a resumed run repeats it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../util/random';
import type { Batch } from './batches';
import { batchLoss, type LossOptions, type Network } from './network';
import { adversarialGradients } from './techniques/adversarial';
import { rdropLoss } from './techniques/losses';
import { mixPlan, mixRows, type MixPlan } from './techniques/mixup';
import type { TechniquePlan } from './techniques/plan';

type SplitNetwork = Network & Required<Pick<Network, 'embed' | 'pool' | 'head'>>;

export interface StepInputs {
  net: Network;
  vars: tf.Variable[];
  batch: Batch;
  k: number;
  lossOpts: LossOptions;
  plan: TechniquePlan;
  /** The run's seed and the step's index: mixup's draw and the dropout masks derive from them. */
  seed: number;
  step: number;
}

/**
 * The batch's objective with `delta` added to the embedding output: the (mixed) task loss of one
 * or, for R-Drop, two dropout passes, and the count of right answers on the unmixed batch.
 */
function objective(s: StepInputs, delta: tf.Tensor | undefined, mix: MixPlan | undefined): { loss: tf.Scalar; correct: tf.Tensor } {
  const net = s.net as SplitNetwork;
  const { batch, k, lossOpts } = s;
  const base = deriveSeed(s.seed, `dropout:${s.step}`);
  const pass = (seed: number) => {
    const emb = net.embed(batch.ids);
    const pooled = net.pool((delta ? tf.add(emb, delta) : emb) as tf.Tensor3D, batch.mask, true, seed);
    if (!mix) {
      const logits = net.head(pooled, true, seed);
      return { logits, ...batchLoss(logits, batch.labels, k, lossOpts, batch.teacher) };
    }
    const logits = net.head(mixRows(pooled, mix), true, seed);
    const targets = mixRows(tf.oneHot(batch.labels, k).toFloat() as tf.Tensor2D, mix);
    const { loss } = batchLoss(logits, batch.labels, k, lossOpts, batch.teacher && mixRows(batch.teacher, mix), targets);
    // Accuracy is of the examples as they are: the classifier on the unmixed representations.
    const plain = net.head(pooled, true, seed);
    return { logits, loss, correct: tf.sum(tf.cast(tf.equal(tf.argMax(plain, 1), batch.labels), 'float32')) };
  };
  const first = pass(base);
  if (!s.plan.rdrop) return first;
  const second = pass(deriveSeed(base, 'rdrop'));
  return { loss: rdropLoss(first.loss, second.loss, first.logits, second.logits, s.plan.rdrop.alpha), correct: first.correct };
}

/** Summed loss (mean x batch size), right answers, and each variable's gradient (in `vars` order). */
export function techniqueGradients(s: StepInputs): { loss: tf.Tensor; correct: tf.Tensor; grads: tf.Tensor[] } {
  const { vars, batch, plan } = s;
  const mix = plan.mixup ? mixPlan(deriveSeed(s.seed, `mixup:${s.step}`), batch.size, plan.mixup.alpha) : undefined;
  const [loss, correct, ...grads] = tf.tidy(() => {
    let right: tf.Tensor | undefined;
    const keepRight = (c: tf.Tensor) => {
      if (!right) right = tf.keep(c);
    };
    if (!plan.adversarial) {
      const { value, grads } = tf.variableGrads(() => {
        const o = objective(s, undefined, mix);
        keepRight(o.correct);
        return o.loss;
      }, vars);
      return [tf.mul(value, batch.size), right!, ...vars.map((v) => grads[v.name])];
    }
    const shape = (s.net as SplitNetwork).embed(batch.ids).shape;
    const out = adversarialGradients(plan.adversarial, shape, (delta, params) => {
      const xs = params ? [...vars, delta] : [delta];
      const { value, grads } = tf.engine().gradients(
        () => {
          const o = objective(s, delta, mix);
          keepRight(o.correct);
          return o.loss;
        },
        xs,
        undefined,
        true,
      );
      return { value, params: params ? grads.slice(0, vars.length) : [], delta: grads[grads.length - 1] };
    });
    return [tf.mul(out.value, batch.size), right!, ...out.params];
  });
  return { loss, correct, grads };
}
