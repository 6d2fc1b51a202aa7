/**
 * The fine-tuning loop of the pretrained tier: length-bucketed seeded batches padded per batch,
 * gradients averaged over `accumulate` batches, global-norm clipping, torch's AdamW per layer
 * group with warm-up then linear/cosine decay, validation with early stopping, progress events,
 * cancellation, the monitors' halt and lrScale, and 'latest' checkpoints holding everything a
 * killed run needs to end with the same weights (trainable tensors, AdamW moments, position in
 * the epoch's order, the order's RNG state, running sums, early-stopping state). Training
 * techniques (loop-techniques.ts, technique-step.ts) and gradual unfreezing (unfreeze.ts) are
 * switched per batch from the same state, so a resumed run takes the same steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { summarize } from '../../eval/metrics';
import { checkSoftTargets } from '../../train/distill-loss';
import { trainingFailure } from '../../train/failure';
import { CancelledError } from '../../util/errors';
import { Rng, deriveSeed } from '../../util/random';
import type { FitContext, FitSummary, ModelArtifact, NamedTensor } from '../estimator';
import type { DenseAdapter } from './context';
import { applyGradients, gradients, type Batch } from './finetune';
import type { EncoderModel } from './model';
import type { PretrainedTrain } from './config';
import type { GroupedAdamW } from './param-groups';
import { lrFactor } from './schedule';
import { batchTechniques, epochExamples, planLoop, selfPacedEpoch, selfPacedScores, updatesPerEpoch } from './loop-techniques';
import { lengthBuckets, pad } from './tokenize';
import { unfreezePeriod, unfrozen } from './unfreeze';

export interface Trainee {
  model: EncoderModel;
  trainable: ReadonlyMap<string, tf.Variable>;
  adapters: DenseAdapter[];
  overrides: ReadonlyMap<string, tf.Tensor>;
  optimizer: GroupedAdamW;
  padId: number;
  /** Encoder layers (the depths gradual unfreezing walks down). */
  layers: number;
  /** The artifact as save() writes it, for checkpoints. */
  snapshot(): Promise<ModelArtifact>;
  /** Eval-mode class probabilities of token id sequences. */
  probabilities(ids: number[][]): Promise<Float32Array[]>;
}

export interface TrainState {
  epoch: number;
  /** Next batch of the epoch's order. */
  batch: number;
  /** Optimizer steps taken. */
  update: number;
  epochRng: number;
  sums: { loss: number; correct: number; seen: number };
  best?: number;
  bad: number;
  bestUpdate: number;
  /** A self-paced curriculum's examples for this epoch (scored by the model at the epoch's start, so kept for a resume). */
  subset?: number[];
}

/** Trainable parameters up to which the best weights are kept for a monitor's halt (BitFit of BERT-base: 0.1M; LoRA: ~0.3M). */
const MONITOR_BEST_LIMIT = 10_000_000;

type Metric = 'val_loss' | 'val_accuracy' | 'val_macroF1';
const better = (metric: Metric, v: number, best: number | undefined, minDelta: number) => best === undefined || (metric === 'val_loss' ? v < best - minDelta : v > best + minDelta);
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export async function fineTune(
  t: Trainee,
  train: { ids: number[][]; labels: number[] },
  validation: { ids: number[][]; labels: number[] } | undefined,
  cfg: PretrainedTrain,
  ctx: FitContext,
): Promise<FitSummary> {
  const n = train.ids.length;
  const soft = ctx.softTargets;
  if (soft) checkSoftTargets(soft, n, ctx.classes.length);
  const tech = planLoop(cfg.techniques, {
    config: t.model.config,
    ids: train.ids,
    labels: train.labels,
    classes: ctx.classes.length,
    distillAlpha: soft?.alpha,
    difficulty: ctx.exampleDifficulty,
  });
  const totalUpdates = updatesPerEpoch(tech, train.labels, cfg.epochs, cfg.batchSize, cfg.accumulate).reduce((a, b) => a + b, 0);
  // transformers' get_scheduler takes ceil(ratio * total) warm-up steps.
  const warmup = Math.ceil(cfg.warmupRatio * totalUpdates);
  const lengths = train.ids.map((s) => s.length);
  const es = cfg.earlyStopping;
  // A monitor's halt restores the best weights too, but a copy of a fully tuned encoder in memory
  // and in every checkpoint doubles both: without early stopping it is kept for adapter-sized sets only.
  const trainableCount = [...t.trainable.values()].reduce((a, v) => a + v.size, 0);
  const keepBest = !!es?.restoreBest || (!!ctx.control && trainableCount <= MONITOR_BEST_LIMIT);
  const rng = new Rng(deriveSeed(ctx.seed, 'pretrained-batches'));
  let s: TrainState = { epoch: 1, batch: 0, update: 0, epochRng: rng.state, sums: { loss: 0, correct: 0, seen: 0 }, bad: 0, bestUpdate: 0 };
  let best: Map<string, NamedTensor> | undefined;
  if (ctx.resume) {
    s = ctx.resume.meta.trainState as TrainState;
    t.optimizer.load(Object.fromEntries(Object.entries(ctx.resume.tensors).filter(([k]) => /^(exp_avg|exp_avg_sq|step)\./.test(k))));
    const saved = Object.entries(ctx.resume.tensors).filter(([k]) => k.startsWith('best.'));
    if (saved.length) best = new Map(saved.map(([k, v]) => [k.slice('best.'.length), v]));
  }
  let stoppedEarly: string | undefined;

  const readBest = async () =>
    new Map(
      await Promise.all(
        [...t.trainable].map(async ([name, v]) => [name, { dtype: 'F32', shape: v.shape, data: Float32Array.from((await v.data()) as Float32Array) }] as [string, NamedTensor]),
      ),
    );
  const checkpoint = async (slot: 'latest' | 'best', state: TrainState) => {
    if (!ctx.checkpoints) return;
    const model = await t.snapshot();
    if (slot === 'best') return ctx.checkpoints.save('best', model, { step: state.update, epoch: state.epoch });
    const bestTensors = Object.fromEntries([...(best ?? [])].map(([k, v]) => [`best.${k}`, v]));
    await ctx.checkpoints.save(
      'latest',
      { ...model, meta: { ...model.meta, trainState: state }, tensors: { ...model.tensors, ...(await t.optimizer.state()), ...bestTensors } },
      { step: state.update, epoch: state.epoch },
    );
  };
  const validate = async (): Promise<{ metrics?: { loss: number; accuracy: number; macroF1: number }; stop: boolean }> => {
    if (!validation?.ids.length) return { stop: false };
    const probs = await t.probabilities(validation.ids);
    const m = summarize(validation.labels, probs, probs[0].length);
    const metrics = { loss: m.loss, accuracy: m.accuracy, macroF1: m.macroF1 };
    const metric: Metric = es?.metric ?? 'val_loss';
    const value = metric === 'val_loss' ? m.loss : metric === 'val_accuracy' ? m.accuracy : m.macroF1;
    if (better(metric, value, s.best, es?.minDelta ?? 0)) {
      s.best = value;
      s.bad = 0;
      s.bestUpdate = s.update;
      if (keepBest) best = await readBest();
      if (es) await checkpoint('best', s);
    } else if (es && ++s.bad >= es.patience) {
      stoppedEarly = `no improvement in ${es.metric} for ${es.patience} evaluation${es.patience > 1 ? 's' : ''} (best ${s.best?.toFixed(4)} at step ${s.bestUpdate})`;
      return { metrics, stop: true };
    }
    return { metrics, stop: false };
  };

  let accum: Map<string, tf.Tensor> | undefined;
  let active = { period: -1, trainable: t.trainable };
  try {
    outer: for (; s.epoch <= cfg.epochs; s.epoch++) {
      rng.state = s.epochRng;
      const selfPaced = selfPacedEpoch(tech, s.epoch, cfg.epochs);
      if (selfPaced && s.batch === 0) {
        ctx.onEvent?.({ type: 'log', level: 'info', message: `self-paced curriculum: scoring ${n} training examples with the model before epoch ${s.epoch}` });
        s.subset = epochExamples(tech, await selfPacedScores(t.probabilities, train.ids, train.labels), train.labels, s.epoch, cfg.epochs);
      }
      const subset = selfPaced ? s.subset : epochExamples(tech, tech.scores, train.labels, s.epoch, cfg.epochs);
      const order = subset
        ? lengthBuckets(
            subset.map((i) => lengths[i]),
            cfg.batchSize,
            rng,
          ).map((b) => b.map((j) => subset[j]))
        : lengthBuckets(lengths, cfg.batchSize, rng);
      const nextEpochRng = rng.state;
      const t0 = performance.now();
      let lossSum: tf.Scalar = tf.scalar(s.sums.loss);
      let correctSum: tf.Scalar = tf.scalar(s.sums.correct);
      let window = { start: performance.now(), seen: 0, tokens: 0 };
      let stepVal: Awaited<ReturnType<typeof validate>> | undefined;
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
        const groupStart = s.batch - (s.batch % cfg.accumulate);
        const groupSize = Math.min(cfg.accumulate, order.length - groupStart);
        const last = s.batch === groupStart + groupSize - 1;
        const enc = pad(
          members.map((i) => train.ids[i]),
          t.padId,
        );
        const batch: Batch = {
          inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'),
          attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32'),
          labels: tf.tensor1d(
            members.map((i) => train.labels[i]),
            'int32',
          ),
        };
        const period = cfg.unfreeze ? unfreezePeriod(cfg.unfreeze, s.epoch, s.update) : 0;
        if (cfg.unfreeze && period !== active.period) {
          const next = unfrozen(t.trainable, t.layers, period);
          const grown = active.period < 0 || next.size !== active.trainable.size;
          active = { period, trainable: next };
          if (grown) ctx.onEvent?.({ type: 'log', level: 'info', message: `gradual unfreezing: period ${period}, ${active.trainable.size} of ${t.trainable.size} tensors train` });
        }
        const stepOpts = {
          trainable: active.trainable,
          adapters: t.adapters,
          overrides: t.overrides,
          seed: deriveSeed(ctx.seed, `dropout:${s.epoch}:${s.batch}`),
          techniques: batchTechniques(tech, ctx.seed, s.epoch, s.batch, members.length),
        };
        let g: ReturnType<typeof gradients>;
        if (soft) {
          const teacher = tf.tensor2d(
            members.map((i) => Array.from(soft.probs[i])),
            [members.length, ctx.classes.length],
          );
          g = gradients(t.model, batch, { ...stepOpts, teacher: { probs: teacher, settings: { alpha: soft.alpha, temperature: soft.temperature } } });
          teacher.dispose();
        } else g = gradients(t.model, batch, stepOpts);
        tf.dispose([batch.inputIds, batch.attentionMask, batch.labels]);
        const [nl, nc] = tf.tidy(() => [tf.add(lossSum, tf.mul(g.loss, members.length)) as tf.Scalar, tf.add(correctSum, g.correct) as tf.Scalar]);
        tf.dispose([lossSum, correctSum, g.loss, g.correct]);
        [lossSum, correctSum] = [nl, nc];
        if (accum) {
          for (const [name, grad] of g.grads) {
            const prev = accum.get(name);
            accum.set(name, prev ? tf.add(prev, grad) : tf.clone(grad));
            tf.dispose([prev, grad].filter((x): x is tf.Tensor => !!x));
          }
        } else accum = g.grads;
        s.sums.seen += members.length;
        window.seen += members.length;
        window.tokens += enc.attentionMask.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
        if (!last) continue;

        const grads = accum;
        accum = undefined;
        if (groupSize > 1)
          for (const [name, grad] of grads) {
            grads.set(name, tf.div(grad, groupSize));
            grad.dispose();
          }
        const lr = cfg.lr * lrFactor(cfg.schedule, s.update, totalUpdates, warmup) * (ctx.control?.lrScale ?? 1);
        t.optimizer.setLr(lr);
        const gradNorm = applyGradients(grads, { optimizer: t.optimizer, maxGradNorm: cfg.clipNorm > 0 ? cfg.clipNorm : undefined });
        s.update++;
        stepVal = cfg.evalEvery > 0 && s.update % cfg.evalEvery === 0 ? await validate() : undefined;
        if (s.update % cfg.logEvery === 0 || stepVal || s.batch === order.length - 1) {
          const [l, c, gn] = await Promise.all([lossSum.data(), correctSum.data(), gradNorm.data()]);
          const secs = Math.max(1e-3, (performance.now() - window.start) / 1000);
          const mem = tf.memory();
          ctx.onEvent?.({
            type: 'step',
            step: s.update,
            totalSteps: totalUpdates,
            epoch: s.epoch,
            loss: l[0] / s.sums.seen,
            accuracy: c[0] / s.sums.seen,
            lr,
            examplesPerSec: window.seen / secs,
            tokensPerSec: window.tokens / secs,
            gradNorm: gn[0],
            tensors: mem.numTensors,
            bytes: mem.numBytes,
            validation: stepVal?.metrics,
          });
          window = { start: performance.now(), seen: 0, tokens: 0 };
          await tick();
        }
        gradNorm.dispose();
        if (stepVal?.stop) {
          tf.dispose([lossSum, correctSum]);
          break outer;
        }
        if (ctx.checkpoints?.everySteps && s.update % ctx.checkpoints.everySteps === 0 && s.batch + 1 < order.length) {
          const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
          await checkpoint('latest', { ...s, batch: s.batch + 1, sums: { loss: l[0], correct: c[0], seen: s.sums.seen } });
        }
      }
      const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
      tf.dispose([lossSum, correctSum]);
      const seconds = (performance.now() - t0) / 1000;
      const seen = Math.max(1, s.sums.seen);
      // An evaluation that just ran on the epoch's last step is not repeated.
      const v = stepVal && s.batch >= order.length ? stepVal : await validate();
      ctx.onEvent?.({
        type: 'epoch',
        epoch: s.epoch,
        step: s.update,
        train: { loss: l[0] / seen, accuracy: c[0] / seen },
        validation: v.metrics,
        examplesPerSec: seen / Math.max(1e-3, seconds),
        seconds,
      });
      s = { ...s, batch: 0, epochRng: nextEpochRng, sums: { loss: 0, correct: 0, seen: 0 }, subset: undefined };
      if (v.stop) break;
      if (ctx.control?.halt) {
        stoppedEarly = ctx.control.halt;
        break;
      }
      if (s.epoch < cfg.epochs) await checkpoint('latest', { ...s, epoch: s.epoch + 1 });
    }
  } catch (e) {
    throw trainingFailure(e, s.update, memorySuggestions(cfg));
  } finally {
    if (accum) tf.dispose([...accum.values()]);
  }
  // Stopped early (patience or a monitor's halt): put the best trainable weights back.
  if (best && stoppedEarly && (es?.restoreBest ?? true)) {
    for (const [name, v] of t.trainable) {
      const b = best.get(name);
      if (b) tf.tidy(() => v.assign(tf.tensor(b.data, b.shape, 'float32')));
    }
  }
  return { epochs: Math.min(s.epoch, cfg.epochs), steps: s.update, stoppedEarly };
}

/** Config changes that need less device memory, keeping the effective batch. */
function memorySuggestions(cfg: PretrainedTrain): string[] {
  const half = Math.max(1, cfg.batchSize >> 1);
  return [
    ...(cfg.batchSize > 1 ? [`model.train.batchSize: ${half} with model.train.accumulate: ${cfg.accumulate * Math.ceil(cfg.batchSize / half)}`] : []),
    'model.maxLength: a shorter length (e.g. 64)',
    'model.method: "lora" (no gradients or AdamW state for the frozen weights)',
  ];
}
