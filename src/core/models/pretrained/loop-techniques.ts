/**
 * What the fine-tuning loop derives from `model.train.techniques` before and during a run: the
 * plan (train/techniques/plan.ts checks the combination and resolves class weights, as for the
 * neural loop), each batch's seeded switches (mixup's plan, R-Drop's second masks, the
 * adversarial settings), the epoch's curriculum (which examples it uses; the loop still buckets
 * them by length), and the step totals the schedule needs when a curriculum shortens the first epochs.
 */
import { deriveSeed } from '../../util/random';
import type { Techniques } from '../../train/techniques/config';
import { COMMON_TOKENS, easiest, epochSizes, exampleLosses, lengthScores, pacingShare, rareWordScores } from '../../train/techniques/curriculum';
import type { HardLossOptions } from '../../train/techniques/losses';
import { mixPlan } from '../../train/techniques/mixup';
import { planTechniques, type TechniquePlan } from '../../train/techniques/plan';
import type { HfConfig } from './types';
import type { StepTechniques } from './technique-step';

/** The largest dropout probability config.json sets (R-Drop needs one above 0). */
function dropoutOf(config: HfConfig): number {
  return Math.max(0, ...Object.entries(config).flatMap(([k, v]) => (/dropout(_prob)?$/.test(k) && typeof v === 'number' ? [v] : [])));
}

export interface LoopPlan {
  plan: TechniquePlan;
  /** The hard-label term's options, or undefined for plain cross-entropy. */
  hard?: HardLossOptions;
  /** Difficulty scores fixed for the run (length, rare words, another run's loss); self-paced scores are taken each epoch. */
  scores?: Float32Array;
}

/** Checks the techniques against this model and fit (a ConfigError before any step) and resolves them. */
export function planLoop(t: Techniques, inp: { config: HfConfig; ids: number[][]; labels: number[]; classes: number; distillAlpha?: number; difficulty?: Float32Array }): LoopPlan {
  // Every encoder exposes its embedding output and pooled vector through hooks.ts.
  const plan = planTechniques(
    t,
    { embed: true, pool: true, head: true, dropoutRate: dropoutOf(inp.config) },
    { optimizer: 'adamw', labels: inp.labels, classes: inp.classes, distillAlpha: inp.distillAlpha, difficulty: inp.difficulty },
  );
  const hard = plan.gamma > 0 || plan.classWeights ? { labelSmoothing: 0, gamma: plan.gamma, classWeights: plan.classWeights, normalize: plan.normalize } : undefined;
  const c = plan.curriculum;
  const scores =
    !c || c.score === 'self-paced' ? undefined : c.score === 'loss' ? inp.difficulty : c.score === 'length' ? lengthScores(inp.ids) : rareWordScores(inp.ids, COMMON_TOKENS);
  return { plan, hard, scores };
}

/** The switches of batch `batch` of `epoch` (its `size` examples), every draw seeded by the run's seed and the batch's place. */
export function batchTechniques(p: LoopPlan, seed: number, epoch: number, batch: number, size: number): StepTechniques {
  const { plan } = p;
  return {
    hard: p.hard,
    mix: plan.mixup ? mixPlan(deriveSeed(seed, `mixup:${epoch}:${batch}`), size, plan.mixup.alpha) : undefined,
    rdrop: plan.rdrop ? { alpha: plan.rdrop.alpha, seed: deriveSeed(seed, `rdrop:${epoch}:${batch}`) } : undefined,
    adversarial: plan.adversarial,
  };
}

/** The examples epoch `epoch` uses: the easiest share by `scores` (per class when the curriculum is balanced), or all. */
export function epochExamples(p: LoopPlan, scores: ArrayLike<number> | undefined, labels: number[], epoch: number, epochs: number): number[] | undefined {
  const c = p.plan.curriculum;
  if (!c || !scores) return undefined;
  const share = pacingShare(c, epoch, epochs);
  return share >= 1 ? undefined : easiest(scores, share, c.balanced ? labels : undefined);
}

/** Whether epoch `epoch` needs the model's own losses (a self-paced curriculum that does not use every example yet). */
export function selfPacedEpoch(p: LoopPlan, epoch: number, epochs: number): boolean {
  const c = p.plan.curriculum;
  return c?.score === 'self-paced' && pacingShare(c, epoch, epochs) < 1;
}

/** Self-paced scores: the model's own loss on each training example (eval mode). */
export async function selfPacedScores(probabilities: (ids: number[][]) => Promise<Float32Array[]>, ids: number[][], labels: number[]): Promise<Float32Array> {
  return exampleLosses(await probabilities(ids), labels);
}

/** Optimizer steps per epoch (batches of the epoch's examples, accumulated). */
export function updatesPerEpoch(p: LoopPlan, labels: number[], epochs: number, batchSize: number, accumulate: number): number[] {
  return epochSizes(p.plan.curriculum ?? null, labels, epochs).map((size) => Math.ceil(Math.ceil(size / batchSize) / accumulate));
}
