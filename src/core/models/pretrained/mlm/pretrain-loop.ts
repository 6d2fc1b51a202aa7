/**
 * The pretraining loop: length-bucketed seeded batches of unlabelled texts padded per batch,
 * masked afresh for every batch (dynamic masking, as the collator does per call), torch's AdamW
 * with warm-up then linear/cosine decay and global-norm clipping, progress with totals and time
 * left, cancellation between steps, and a checkpoint callback every `checkpointEvery` steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CancelledError } from '../../../util/errors';
import { Rng, deriveSeed } from '../../../util/random';
import { applyGradients } from '../finetune';
import { GroupedAdamW } from '../param-groups';
import { lrFactor, type ScheduleKind } from '../schedule';
import { lengthBuckets, pad } from '../tokenize';
import { checkMasking, maskBatch, type MaskingOptions } from './collator';
import type { MaskingVocab } from './mask-vocab';
import { IGNORE, type MlmModel } from './mlm-model';

export interface PretrainSettings {
  /** Optimizer steps; when absent, `epochs` passes over the texts. */
  steps?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmupRatio: number;
  schedule: ScheduleKind;
  /** Global gradient norm clip (transformers' Trainer: 1); 0 turns it off. */
  clipNorm: number;
  masking: MaskingOptions;
  seed: number;
  /** Steps between progress events. */
  logEvery: number;
  /** Steps between checkpoints (0: only at the end). */
  checkpointEvery: number;
}

export interface PretrainProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  /** Mean MLM loss over the steps since the last event. */
  loss: number;
  /** Share of the masked tokens since the last event whose top logit is the original token. */
  accuracy: number;
  examplesPerSec: number;
  lr: number;
  tokensPerSec: number;
  secondsLeft: number;
  tensors: number;
}

export interface PretrainHooks {
  signal?: AbortSignal;
  onProgress?(p: PretrainProgress): void;
  /** Called after step `step` every checkpointEvery steps (not after the last: the caller saves then). */
  onCheckpoint?(step: number): Promise<void>;
}

export interface PretrainSummary {
  steps: number;
  epochs: number;
  /** The mean loss of each logged window, by the step that ended it. */
  losses: { step: number; loss: number; accuracy: number }[];
  seconds: number;
}

export function totalSteps(texts: number, s: Pick<PretrainSettings, 'steps' | 'epochs' | 'batchSize'>): number {
  return s.steps ?? s.epochs * Math.ceil(texts / s.batchSize);
}

export function checkSettings(s: PretrainSettings, texts: number): void {
  const bad: string[] = [];
  if (s.steps !== undefined && !(Number.isInteger(s.steps) && s.steps > 0)) bad.push(`steps must be a positive integer (got ${s.steps})`);
  if (!(Number.isInteger(s.epochs) && s.epochs > 0)) bad.push(`epochs must be a positive integer (got ${s.epochs})`);
  if (!(Number.isInteger(s.batchSize) && s.batchSize > 0)) bad.push(`batch size must be a positive integer (got ${s.batchSize})`);
  if (!(s.lr > 0)) bad.push(`learning rate must be positive (got ${s.lr})`);
  if (!(s.weightDecay >= 0)) bad.push(`weight decay must be ≥ 0 (got ${s.weightDecay})`);
  if (!(s.warmupRatio >= 0 && s.warmupRatio < 1)) bad.push(`warm-up ratio must be in [0, 1) (got ${s.warmupRatio})`);
  if (!(s.clipNorm >= 0)) bad.push(`clip norm must be ≥ 0 (got ${s.clipNorm})`);
  if (texts === 0) bad.push('there are no training texts to pretrain on');
  if (bad.length) throw new Error(`pretraining: ${bad.join('; ')}`);
  checkMasking(s.masking);
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export async function pretrain(model: MlmModel, ids: number[][], padId: number, vocab: MaskingVocab, s: PretrainSettings, hooks: PretrainHooks = {}): Promise<PretrainSummary> {
  checkSettings(s, ids.length);
  const total = totalSteps(ids.length, s);
  const warmup = Math.ceil(s.warmupRatio * total);
  const optimizer = new GroupedAdamW(model.trainable(), 0, 1, { lr: s.lr, weightDecay: s.weightDecay });
  const lengths = ids.map((x) => x.length);
  const orderRng = new Rng(deriveSeed(s.seed, 'pretrain-batches'));
  const losses: PretrainSummary['losses'] = [];
  const t0 = performance.now();
  let step = 0;
  let epoch = 0;
  let window = { start: performance.now(), tokens: 0, steps: 0, examples: 0, masked: 0 };
  let lossSum: tf.Scalar = tf.scalar(0);
  let hitSum: tf.Scalar = tf.scalar(0);
  try {
    while (step < total) {
      epoch++;
      for (const members of lengthBuckets(lengths, s.batchSize, orderRng)) {
        if (step >= total) break;
        if (hooks.signal?.aborted) throw new CancelledError();
        const enc = pad(
          members.map((i) => ids[i]),
          padId,
        );
        const batch = maskBatch(enc, vocab, s.masking, new Rng(deriveSeed(s.seed, `mask:${step}`)));
        const lr = s.lr * lrFactor(s.schedule, step, total, warmup);
        optimizer.setLr(lr);
        const { loss, hits, grads } = model.gradients(batch, deriveSeed(s.seed, `dropout:${step}`));
        const norm = applyGradients(grads, { optimizer, maxGradNorm: s.clipNorm > 0 ? s.clipNorm : undefined });
        const [nextLoss, nextHits] = tf.tidy(() => [tf.add(lossSum, loss) as tf.Scalar, tf.add(hitSum, hits) as tf.Scalar]);
        tf.dispose([lossSum, hitSum, loss, hits, norm]);
        [lossSum, hitSum] = [nextLoss, nextHits];
        step++;
        window.steps++;
        window.examples += members.length;
        window.masked += batch.labels.reduce((a, r) => a + r.filter((l) => l !== IGNORE).length, 0);
        window.tokens += enc.attentionMask.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
        if (step % s.logEvery === 0 || step === total) {
          const [mean, accuracy] = [(await lossSum.data())[0] / window.steps, (await hitSum.data())[0] / window.masked];
          tf.dispose([lossSum, hitSum]);
          [lossSum, hitSum] = [tf.scalar(0), tf.scalar(0)];
          const secs = Math.max(1e-3, (performance.now() - window.start) / 1000);
          const perStep = (performance.now() - t0) / 1000 / step;
          losses.push({ step, loss: mean, accuracy });
          hooks.onProgress?.({
            step,
            totalSteps: total,
            epoch,
            loss: mean,
            accuracy,
            lr,
            examplesPerSec: window.examples / secs,
            tokensPerSec: window.tokens / secs,
            secondsLeft: perStep * (total - step),
            tensors: tf.memory().numTensors,
          });
          window = { start: performance.now(), tokens: 0, steps: 0, examples: 0, masked: 0 };
          await tick();
        }
        if (s.checkpointEvery > 0 && step % s.checkpointEvery === 0 && step < total) await hooks.onCheckpoint?.(step);
      }
    }
  } finally {
    tf.dispose([lossSum, hitSum]);
    optimizer.dispose();
  }
  return { steps: step, epochs: epoch, losses, seconds: (performance.now() - t0) / 1000 };
}
