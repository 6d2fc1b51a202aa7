/**
 * The training loop for TF.js models: seeded batches, an optimizer with a schedule, optional
 * clipping, per-epoch validation, progress events and cancellation. Every step runs inside
 * `tf.tidy`, and running sums stay on the device so a step never waits on a GPU read-back
 * except every `logEvery` steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argmax, macroF1 } from '../eval/metrics';
import type { FitContext, FitSummary } from '../models/estimator';
import { BackendError, CancelledError } from '../util/errors';
import { Rng, deriveSeed } from '../util/random';
import { disposeBatch, epochOrder, makeBatch, type Encoded } from './batches';
import { learningRate, type ScheduleKind } from './schedule';

export interface LoopConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: 'adam' | 'sgd';
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
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

function makeOptimizer(cfg: LoopConfig): tf.Optimizer {
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
        setRate(opt, lr);
        const batch = makeBatch(train, members, cfg.maxLen);
        const [loss, correct] = tf.tidy(() => {
          let right: tf.Tensor | undefined;
          const { value, grads } = tf.variableGrads(() => {
            const logits = net.logits(batch.ids, batch.mask, true);
            right = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels), 'float32')));
            return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.labels, k), logits, undefined, cfg.labelSmoothing) as tf.Scalar;
          }, vars);
          opt.applyGradients(cfg.clipNorm > 0 ? clipByGlobalNorm(grads, cfg.clipNorm) : grads);
          return [tf.mul(value, batch.size), right!] as tf.Tensor[];
        });
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
    opt.dispose();
  }
  return { epochs: cfg.epochs, steps: step };
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
