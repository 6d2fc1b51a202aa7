/**
 * The training loop for TF.js models: seeded batches, an optimizer with a schedule, optional
 * clipping, per-epoch validation, progress events and cancellation. Every step runs inside
 * `tf.tidy`, and running sums stay on the device so a step never waits on a GPU read-back
 * except every `logEvery` steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argmax, macroF1 } from '../eval/metrics';
import type { FitContext, FitSummary } from '../models/estimator';
import { BackendError, CancelledError, ConfigError } from '../util/errors';
import { Rng, deriveSeed } from '../util/random';
import { disposeBatch, epochOrder, makeBatch, type Batch, type Encoded } from './batches';
import { learningRate, type ScheduleKind } from './schedule';

export interface LoopConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: 'adam' | 'sgd' | 'sparse-adam';
  schedule: ScheduleKind;
  warmupSteps: number;
  clipNorm: number;
  labelSmoothing: number;
  maxLen: number;
  logEvery: number;
}

/** A TF.js network the loop can train: its variables and a forward pass to logits. */
export interface Network {
  variables(): tf.Variable[];
  logits(ids: tf.Tensor2D, mask: tf.Tensor2D, training: boolean): tf.Tensor2D;
  /**
   * One Adam step that updates only the embedding rows the batch touches (optimizer 'sparse-adam').
   * Returns [summed loss, number correct] as scalars.
   */
  sparseStep?(batch: Batch, lr: number, numClasses: number, labelSmoothing: number): [tf.Tensor, tf.Tensor];
}

/** Softmax cross-entropy summed over the batch (mean x size) and the count of right answers. */
export function batchLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, k: number, labelSmoothing: number): { loss: tf.Scalar; correct: tf.Tensor } {
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
  const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, k), logits, undefined, labelSmoothing) as tf.Scalar;
  return { loss, correct };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

function makeOptimizer(cfg: LoopConfig): tf.Optimizer | undefined {
  if (cfg.optimizer === 'sparse-adam') return undefined;
  return cfg.optimizer === 'sgd' ? tf.train.momentum(cfg.lr, 0.9) : tf.train.adam(cfg.lr);
}

/** TF.js optimizers keep the rate in a protected field; the schedule writes it each step. */
function setRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/**
 * tfjs-core ships its gradient functions apart from the ops, and how to load them differs per
 * platform (see src/platform/{node,browser}/gradients.ts), so the entry point registers them.
 */
function assertGradientsRegistered(): void {
  if (!tf.getGradient('RealDiv')) throw new BackendError('TF.js gradients are not registered: the entry point must import its platform gradients module before training.');
}

export async function trainNetwork(net: Network, train: Encoded, validation: Encoded | undefined, cfg: LoopConfig, ctx: FitContext): Promise<FitSummary> {
  assertGradientsRegistered();
  const k = ctx.classes.length;
  const rng = new Rng(deriveSeed(ctx.seed, 'batches'));
  const lengths = train.ids.map((s) => s.length);
  const stepsPerEpoch = Math.ceil(train.ids.length / cfg.batchSize);
  const total = stepsPerEpoch * cfg.epochs;
  if (cfg.optimizer === 'sparse-adam' && !net.sparseStep) throw new ConfigError('optimizer "sparse-adam" is only available for models with sparse embedding updates (fasttext)');
  const opt = makeOptimizer(cfg);
  const vars = net.variables();
  let step = 0;
  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const t0 = performance.now();
      let lossSum: tf.Tensor = tf.scalar(0);
      let correctSum: tf.Tensor = tf.scalar(0);
      let seen = 0;
      let windowStart = performance.now();
      let windowSeen = 0;
      for (const members of epochOrder(lengths, cfg.batchSize, rng)) {
        if (ctx.signal?.aborted) throw new CancelledError();
        const lr = learningRate(step, total, cfg.lr, cfg.schedule, cfg.warmupSteps);
        const batch = makeBatch(train, members, cfg.maxLen);
        const [loss, correct] = opt ? denseStep(net, vars, opt, batch, lr, k, cfg) : net.sparseStep!(batch, lr, k, cfg.labelSmoothing);
        disposeBatch(batch);
        const nl = tf.add(lossSum, loss);
        const nc = tf.add(correctSum, correct);
        tf.dispose([lossSum, correctSum, loss, correct]);
        lossSum = nl;
        correctSum = nc;
        seen += members.length;
        windowSeen += members.length;
        step++;
        if (step % cfg.logEvery === 0 || seen === train.ids.length) {
          const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
          const now = performance.now();
          ctx.onEvent?.({ type: 'step', step, totalSteps: total, epoch, loss: l[0] / seen, accuracy: c[0] / seen, lr, examplesPerSec: (windowSeen * 1000) / Math.max(1, now - windowStart) });
          windowStart = now;
          windowSeen = 0;
          await tick();
        }
      }
      const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
      tf.dispose([lossSum, correctSum]);
      const seconds = (performance.now() - t0) / 1000;
      const val = validation && validation.ids.length ? await evaluate(net, validation, k, cfg) : undefined;
      ctx.onEvent?.({ type: 'epoch', epoch, step, train: { loss: l[0] / seen, accuracy: c[0] / seen }, validation: val, examplesPerSec: seen / seconds, seconds });
    }
  } finally {
    opt?.dispose();
  }
  return { epochs: cfg.epochs, steps: step };
}

function denseStep(net: Network, vars: tf.Variable[], opt: tf.Optimizer, batch: Batch, lr: number, k: number, cfg: LoopConfig): [tf.Tensor, tf.Tensor] {
  setRate(opt, lr);
  return tf.tidy(() => {
    let right: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const { loss, correct } = batchLoss(net.logits(batch.ids, batch.mask, true), batch.labels, k, cfg.labelSmoothing);
      right = tf.keep(correct);
      return loss;
    }, vars);
    opt.applyGradients(cfg.clipNorm > 0 ? clipByGlobalNorm(grads, cfg.clipNorm) : grads);
    return [tf.mul(value, batch.size), right!] as [tf.Tensor, tf.Tensor];
  });
}

function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  const out: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(grads)) out[name] = tf.mul(g, scale);
  return out;
}

/** Class probabilities for encoded sequences, in batches, with no gradient bookkeeping. */
export async function predictNetwork(net: Network, data: Encoded, batchSize: number, maxLen: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let s = 0; s < data.ids.length; s += batchSize) {
    const members = Array.from({ length: Math.min(batchSize, data.ids.length - s) }, (_, i) => s + i);
    const batch = makeBatch(data, members, maxLen);
    const probs = tf.tidy(() => tf.softmax(net.logits(batch.ids, batch.mask, false)));
    disposeBatch(batch);
    const flat = await probs.data();
    probs.dispose();
    const k = flat.length / members.length;
    for (let r = 0; r < members.length; r++) out.push(Float32Array.from(flat.subarray(r * k, (r + 1) * k)));
  }
  return out;
}

async function evaluate(net: Network, data: Encoded, k: number, cfg: LoopConfig) {
  const probs = await predictNetwork(net, data, Math.max(cfg.batchSize, 256), cfg.maxLen);
  const pred = probs.map(argmax);
  let loss = 0;
  let right = 0;
  probs.forEach((p, i) => {
    loss -= Math.log(Math.max(p[data.labels[i]], 1e-15));
    if (pred[i] === data.labels[i]) right++;
  });
  return { loss: loss / probs.length, accuracy: right / probs.length, macroF1: macroF1(data.labels, pred, k) };
}
