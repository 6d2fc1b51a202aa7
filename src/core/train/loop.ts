/**
 * The training loop for TF.js models: seeded length-bucketed batches, an optimizer with a
 * schedule, clipping and accumulation, validation with early stopping, progress events,
 * cancellation, and checkpoints from which a killed run resumes exactly where it stopped.
 * Running sums stay on the device so a step waits on a GPU read-back only every `logEvery`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FitContext, FitSummary, ModelArtifact } from '../models/estimator';
import { BackendError, CancelledError, ConfigError } from '../util/errors';
import { Rng, deriveSeed } from '../util/random';
import { disposeBatch, epochOrder, makeBatch, type Batch, type Encoded } from './batches';
import { checkSoftTargets } from './distill-loss';
import { trainingFailure } from './failure';
import { batchLoss, evaluateNetwork, globalNorm, globalNormTensor, isBetter, predictNetwork, type LossOptions, type Network } from './network';
import type { LoopConfig } from './loop-config';
import { Optimizer } from './optimizer';
import { readTrainState, trainStateTensors, type TrainState } from './resume';
import { learningRate } from './schedule';
import { techniqueGradients } from './technique-step';
import { COMMON_TOKENS, easiest, epochSizes, exampleLosses, lengthScores, pacingShare, rareWordScores } from './techniques/curriculum';
import { planTechniques, type TechniquePlan } from './techniques/plan';

export type { LoopConfig } from './loop-config';
export { batchLoss, predictNetwork, type LossOptions, type Network } from './network';

/**
 * tfjs-core ships its gradient functions apart from the ops, and how to load them differs per
 * platform (see src/platform/{node,browser}/gradients.ts), so the entry point registers them.
 */
function assertGradientsRegistered(): void {
  if (!tf.getGradient('RealDiv')) throw new BackendError('TF.js gradients are not registered: the entry point must import its platform gradients module before training.');
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export async function trainNetwork(net: Network, data: Encoded, validation: Encoded | undefined, cfg: LoopConfig, ctx: FitContext): Promise<FitSummary> {
  assertGradientsRegistered();
  if (cfg.optimizer === 'fasttext-sgd') throw new ConfigError('optimizer "fasttext-sgd" is fastText\'s own CPU trainer: only the fasttext model has it');
  if (cfg.optimizer === 'sparse-adam' && !net.sparseGrads) throw new ConfigError('optimizer "sparse-adam" is only available for models with sparse embedding updates (fasttext)');
  if (cfg.optimizer === 'sparse-adam' && cfg.accumulate > 1)
    throw new ConfigError('optimizer "sparse-adam" does not support gradient accumulation: set model.train.accumulate to 1');
  const k = ctx.classes.length;
  const soft = ctx.softTargets;
  if (soft) checkSoftTargets(soft, data.ids.length, k);
  // Teacher rows travel with the examples' indices, so shuffling, bucketing and resume keep them paired.
  const train: Encoded = soft ? { ...data, teacher: soft.probs } : data;
  const plan = planTechniques(cfg.techniques, net, { optimizer: cfg.optimizer, labels: data.labels, classes: k, distillAlpha: soft?.alpha, difficulty: ctx.exampleDifficulty });
  const lossOpts: LossOptions = {
    labelSmoothing: cfg.labelSmoothing,
    distill: soft && { alpha: soft.alpha, temperature: soft.temperature },
    gamma: plan.gamma,
    classWeights: plan.classWeights,
    normalize: plan.normalize,
  };
  const vars = net.variables();
  const opt = new Optimizer(vars, { kind: cfg.optimizer === 'sparse-adam' ? 'adam' : cfg.optimizer, weightDecay: cfg.weightDecay });
  const rng = new Rng(deriveSeed(ctx.seed, 'batches'));
  const lengths = train.ids.map((s) => s.length);
  // A curriculum trains on a growing share of the examples, so epochs differ in length.
  const epochBatches = epochSizes(plan.curriculum ?? null, train.labels, cfg.epochs).map((n) => Math.ceil(n / cfg.batchSize));
  const totalSteps = epochBatches.reduce((a, b) => a + b, 0);
  const totalUpdates = Math.ceil(totalSteps / cfg.accumulate);
  const fixedScores = staticScores(plan, train, net, ctx.exampleDifficulty);
  let selfPaced: Float32Array | undefined;
  const es = cfg.earlyStopping;

  let s: TrainState = { epoch: 1, batch: 0, step: 0, epochRng: rng.state, sums: { loss: 0, correct: 0, seen: 0 }, best: undefined, bad: 0, bestStep: 0 };
  let bestWeights: Float32Array[] | undefined;
  if (ctx.resume) {
    const r = readTrainState(ctx.resume, vars.length);
    s = r.state;
    bestWeights = r.best;
    // Mid-epoch, the epoch's order came from the scores the model gave at the epoch's start.
    if (s.batch > 0) selfPaced = r.curriculumScores;
    opt.load(ctx.resume.tensors);
  }
  let stoppedEarly: string | undefined;
  let accum: tf.Tensor[] | undefined;

  const snapshot = async (): Promise<Float32Array[]> => Promise.all(vars.map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
  const checkpoint = async (slot: 'latest' | 'best', state: TrainState) => {
    if (!ctx.checkpoints) return;
    const model = await net.snapshot();
    const artifact: ModelArtifact =
      slot === 'best'
        ? model
        : {
            ...model,
            meta: { ...model.meta, trainState: state },
            tensors: { ...model.tensors, ...(await opt.state()), ...trainStateTensors(bestWeights, vars, state.batch > 0 ? selfPaced : undefined) },
          };
    await ctx.checkpoints.save(slot, artifact, { step: state.step, epoch: state.epoch });
  };
  /** Validation plus early-stopping bookkeeping; true when training should stop. */
  const validate = async (): Promise<{ metrics?: { loss: number; accuracy: number; macroF1: number }; stop: boolean }> => {
    if (!validation?.ids.length) return { stop: false };
    const metrics = await evaluateNetwork(net, validation, k, cfg);
    if (!es) {
      // With monitors on, keep the weights of the best validation loss so a halt can restore them.
      if (ctx.control && isBetter('val_loss', metrics.loss, s.best, 0)) {
        s.best = metrics.loss;
        s.bestStep = s.step;
        bestWeights = await snapshot();
      }
      return { metrics, stop: false };
    }
    const value = es.metric === 'val_loss' ? metrics.loss : es.metric === 'val_accuracy' ? metrics.accuracy : metrics.macroF1;
    if (isBetter(es.metric, value, s.best, es.minDelta)) {
      s.best = value;
      s.bad = 0;
      s.bestStep = s.step;
      if (es.restoreBest) bestWeights = await snapshot();
      await checkpoint('best', s);
    } else if (++s.bad >= es.patience) {
      stoppedEarly = `no improvement in ${es.metric} for ${es.patience} evaluation${es.patience > 1 ? 's' : ''} (best ${s.best?.toFixed(4)} at step ${s.bestStep})`;
      return { metrics, stop: true };
    }
    return { metrics, stop: false };
  };

  try {
    outer: for (; s.epoch <= cfg.epochs; s.epoch++) {
      rng.state = s.epochRng;
      let scores = fixedScores;
      if (plan.curriculum?.score === 'self-paced') {
        if (s.batch === 0 || !selfPaced) selfPaced = exampleLosses(await predictNetwork(net, train, Math.max(cfg.batchSize, 256), cfg.maxLen), train.labels);
        scores = selfPaced;
      }
      const order = scores ? curriculumOrder(scores, train.labels, lengths, plan, s.epoch, cfg, rng) : epochOrder(lengths, cfg.batchSize, rng);
      const nextEpochRng = rng.state;
      const t0 = performance.now();
      let lossSum: tf.Tensor = tf.scalar(s.sums.loss);
      let correctSum: tf.Tensor = tf.scalar(s.sums.correct);
      let windowStart = performance.now();
      let windowSeen = 0;
      let windowTokens = 0;
      for (; s.batch < order.length; s.batch++) {
        if (ctx.signal?.aborted) {
          tf.dispose([lossSum, correctSum]);
          throw new CancelledError();
        }
        if (ctx.control?.halt) {
          stoppedEarly = ctx.control.halt;
          tf.dispose([lossSum, correctSum]);
          break outer;
        }
        const members = order[s.batch];
        const update = Math.floor(s.step / cfg.accumulate);
        const lr = learningRate(update, totalUpdates, cfg.lr, cfg.schedule, cfg.warmupSteps) * (ctx.control?.lrScale ?? 1);
        const batch = makeBatch(train, members, cfg.maxLen);
        // Steps 1, 2, 4, 8… before the first `logEvery` are logged too, so curves and progress
        // appear within seconds rather than after logEvery slow steps.
        const log = (s.step + 1) % cfg.logEvery === 0 || s.batch === order.length - 1 || earlyLog(s.step + 1, cfg.logEvery);
        const last = (s.step + 1) % cfg.accumulate === 0 || s.batch === order.length - 1;
        const out =
          cfg.optimizer === 'sparse-adam'
            ? sparseStep(net, opt, batch, lr, k, cfg, lossOpts, s.step, ctx.seed, log)
            : denseStep(net, vars, opt, batch, lr, k, cfg, lossOpts, plan, s.step, ctx.seed, accum, last, log);
        accum = out.accum;
        disposeBatch(batch);
        const nl = tf.add(lossSum, out.loss);
        const nc = tf.add(correctSum, out.correct);
        tf.dispose([lossSum, correctSum, out.loss, out.correct]);
        lossSum = nl;
        correctSum = nc;
        s.sums.seen += members.length;
        windowSeen += members.length;
        windowTokens += batch.tokens;
        s.step++;
        let stepVal: Awaited<ReturnType<typeof validate>> | undefined;
        if (cfg.evalEvery > 0 && s.step % cfg.evalEvery === 0 && last) stepVal = await validate();
        if (log || stepVal) {
          const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
          const gradNorm = out.gradNorm ? (await out.gradNorm.data())[0] : undefined;
          out.gradNorm?.dispose();
          const paramNorm = log ? await globalNorm(vars) : undefined;
          const now = performance.now();
          const secs = Math.max(1e-3, (now - windowStart) / 1000);
          const mem = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
          ctx.onEvent?.({
            type: 'step',
            step: s.step,
            totalSteps,
            epoch: s.epoch,
            totalEpochs: cfg.epochs,
            loss: l[0] / s.sums.seen,
            accuracy: c[0] / s.sums.seen,
            lr,
            examplesPerSec: windowSeen / secs,
            tokensPerSec: windowTokens / secs,
            gradNorm,
            paramNorm,
            tensors: mem.numTensors,
            bytes: mem.numBytes,
            gpuBytes: mem.numBytesAllocatedInGPU,
            validation: stepVal?.metrics,
          });
          windowStart = now;
          windowSeen = 0;
          windowTokens = 0;
          await tick();
        } else out.gradNorm?.dispose();
        if (stepVal?.stop) {
          tf.dispose([lossSum, correctSum]);
          break outer;
        }
        if (ctx.checkpoints?.everySteps && s.step % ctx.checkpoints.everySteps === 0 && last && s.batch + 1 < order.length) {
          const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
          await checkpoint('latest', { ...s, batch: s.batch + 1, sums: { loss: l[0], correct: c[0], seen: s.sums.seen } });
        }
      }
      const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
      tf.dispose([lossSum, correctSum]);
      const seconds = (performance.now() - t0) / 1000;
      const seen = s.sums.seen;
      const v = cfg.evalEvery > 0 && validation ? { metrics: undefined, stop: false } : await validate();
      ctx.onEvent?.({
        type: 'epoch',
        epoch: s.epoch,
        step: s.step,
        train: { loss: l[0] / seen, accuracy: c[0] / seen },
        validation: v.metrics,
        examplesPerSec: seen / seconds,
        seconds,
      });
      s = { ...s, batch: 0, epochRng: nextEpochRng, sums: { loss: 0, correct: 0, seen: 0 } };
      if (v.stop) break;
      if (ctx.control?.halt) {
        stoppedEarly = ctx.control.halt;
        break;
      }
      if (s.epoch < cfg.epochs) await checkpoint('latest', { ...s, epoch: s.epoch + 1 });
    }
  } catch (e) {
    throw trainingFailure(e, s.step, memorySuggestions(cfg));
  } finally {
    tf.dispose(accum ?? []);
    opt.dispose();
  }
  // Stopped early (patience or a monitor's halt): keep the best weights seen, when known.
  if (bestWeights && stoppedEarly && (es?.restoreBest ?? true)) vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(bestWeights![i], v.shape))));
  return { epochs: Math.min(s.epoch, cfg.epochs), steps: s.step, stoppedEarly };
}

/** The curriculum's difficulty scores that do not change during training (all but 'self-paced'). */
function staticScores(plan: TechniquePlan, train: Encoded, net: Network, difficulty: ArrayLike<number> | undefined): ArrayLike<number> | undefined {
  switch (plan.curriculum?.score) {
    case 'length':
      return lengthScores(train.ids);
    case 'rare-words':
      return rareWordScores(train.ids, COMMON_TOKENS, net.unknownIds?.() ?? []);
    case 'loss':
      return difficulty;
    default:
      return undefined;
  }
}

/** One epoch's batches drawn from the easiest share of the examples the pacing allows. */
function curriculumOrder(scores: ArrayLike<number>, labels: ArrayLike<number>, lengths: number[], plan: TechniquePlan, epoch: number, cfg: LoopConfig, rng: Rng): number[][] {
  const c = plan.curriculum!;
  const members = easiest(scores, pacingShare(c, epoch, cfg.epochs), c.balanced ? labels : undefined);
  return epochOrder(
    members.map((i) => lengths[i]),
    cfg.batchSize,
    rng,
  ).map((b) => b.map((j) => members[j]));
}

/** Whether `step` (1-based) is a power of two below the regular logging interval. */
export function earlyLog(step: number, every: number): boolean {
  return step < every && (step & (step - 1)) === 0;
}

/** Config changes that need less device memory, keeping the effective batch where accumulation can. */
function memorySuggestions(cfg: LoopConfig): string[] {
  const half = Math.max(1, Math.floor(cfg.batchSize / 2));
  return [
    cfg.batchSize > 1
      ? `model.train.batchSize: ${half}${cfg.optimizer === 'sparse-adam' ? '' : ` with model.train.accumulate: ${cfg.accumulate * Math.ceil(cfg.batchSize / half)}`}`
      : '',
    cfg.maxLen > 16 ? `model.train.maxLen: ${Math.floor(cfg.maxLen / 2)}` : '',
  ].filter(Boolean);
}

interface StepOut {
  loss: tf.Tensor;
  correct: tf.Tensor;
  gradNorm?: tf.Tensor;
  accum?: tf.Tensor[];
}

/** One batch of a dense model: gradients of every variable, summed over `accumulate` batches. */
function denseStep(
  net: Network,
  vars: tf.Variable[],
  opt: Optimizer,
  batch: Batch,
  lr: number,
  k: number,
  cfg: LoopConfig,
  lossOpts: LossOptions,
  plan: TechniquePlan,
  step: number,
  seed: number,
  accum: tf.Tensor[] | undefined,
  apply: boolean,
  log: boolean,
): StepOut {
  const dropoutSeed = deriveSeed(seed, `dropout:${step}`);
  const split = () => {
    const { loss, correct, grads } = techniqueGradients({ net, vars, batch, k, lossOpts, plan, seed, step });
    return [loss, correct, ...grads];
  };
  const [loss, correct, ...grads] = plan.split
    ? split()
    : tf.tidy(() => {
        let right: tf.Tensor | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const { loss, correct } = batchLoss(net.logits(batch.ids, batch.mask, true, dropoutSeed), batch.labels, k, lossOpts, batch.teacher);
          right = tf.keep(correct);
          return loss;
        }, vars);
        return [tf.mul(value, batch.size), right!, ...vars.map((v) => grads[v.name])];
      });
  let sum = grads;
  if (accum) {
    sum = grads.map((g, i) => tf.add(g, accum[i]));
    tf.dispose([...grads, ...accum]);
  }
  if (!apply) return { loss, correct, accum: sum };
  let gradNorm: tf.Tensor | undefined;
  tf.tidy(() => {
    const scaled = cfg.accumulate > 1 ? sum.map((g) => tf.div(g, cfg.accumulate)) : sum;
    const norm = cfg.clipNorm > 0 || log ? globalNormTensor(scaled) : undefined;
    const clipped = cfg.clipNorm > 0 ? scaled.map((g) => tf.mul(g, tf.minimum(1, tf.div(cfg.clipNorm, tf.add(norm!, 1e-6))))) : scaled;
    opt.tick();
    clipped.forEach((g, i) => opt.update(i, g, lr));
    if (norm && log) gradNorm = tf.keep(norm);
  });
  tf.dispose(sum);
  return { loss, correct, gradNorm };
}

/** One batch of a model with a lazily updated embedding table (fastText). */
function sparseStep(net: Network, opt: Optimizer, batch: Batch, lr: number, k: number, cfg: LoopConfig, lossOpts: LossOptions, step: number, seed: number, log: boolean): StepOut {
  const g = net.sparseGrads!(batch, k, lossOpts, deriveSeed(seed, `dropout:${step}`));
  let gradNorm: tf.Tensor | undefined;
  tf.tidy(() => {
    const all = [g.rows.grad, ...g.dense.map((d) => d.grad)];
    const norm = cfg.clipNorm > 0 || log ? globalNormTensor(all) : undefined;
    const scale = cfg.clipNorm > 0 ? tf.minimum(1, tf.div(cfg.clipNorm, tf.add(norm!, 1e-6))) : undefined;
    const clip = (t: tf.Tensor) => (scale ? tf.mul(t, scale) : t);
    opt.tick();
    opt.updateRows(g.rows.index, g.rows.ids, g.rows.current, clip(g.rows.grad), lr);
    for (const d of g.dense) opt.update(d.index, clip(d.grad), lr);
    if (norm && log) gradNorm = tf.keep(norm);
  });
  tf.dispose([g.rows.ids, g.rows.current, g.rows.grad, ...g.dense.map((d) => d.grad)]);
  return { loss: g.loss, correct: g.correct, gradNorm };
}
