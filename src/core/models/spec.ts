/**
 * What a model family tells the rest of the lab about itself, so that the registry, the guard's
 * pre-training checks and the page read one declaration instead of lists of model types.
 * A family is one folder with a spec; registry.ts lists the specs.
 */
import type { z } from 'zod';
import type { Estimator, LoadEnv, ModelArtifact, ModelFamily } from './estimator';

/** How a model's capacity behaves, which decides which overfitting rules apply to it. */
export type CapacityKind =
  /** Counting model with smoothing (naive Bayes): cannot memorise beyond its counts. */
  | 'counting'
  /** Convex linear model with an explicit L2 penalty (C or alpha). */
  | 'linear'
  /** Trained by gradient descent for several epochs from scratch (fastText, TextCNN...). */
  | 'neural'
  /** Unknown or pretrained model: treated as the largest. */
  | 'unknown';

export interface ParameterEstimate {
  count: number;
  /** True when counted from the config exactly (or given by the caller). */
  exact: boolean;
  kind: CapacityKind;
  /** The formula used, in words, for finding messages. */
  basis: string;
}

/** Where a family's arithmetic runs: plain TypeScript loops, or a TF.js tensor backend. */
export type Compute = 'plain' | 'tensors';

export interface ModelCapabilities {
  /** `Estimator.explain`: per-token contributions to one prediction. */
  explain: boolean;
  /** Per-class feature weights (linear models over named features). */
  topFeatures: boolean;
  /** A calibration map fitted inside the model (`uncalibratedProba` shows its effect). */
  calibration: boolean;
  /** Can be trained on a teacher's probabilities (distillation). */
  softTargets: boolean;
  /** Fits in seconds, so a hyper-parameter grid scored on validation is practical. */
  gridSearch: boolean;
}

/** The data a config is judged against before training (sizes only: nothing is read). */
export interface DataScale {
  /** Training examples; Infinity when unknown (estimates become upper bounds). */
  train: number;
  classes: number;
}

/** A penalty so weak the model trains almost unregularised (convex models). */
export interface WeakPenalty {
  message: string;
  saferAlternatives: string[];
  value: number;
  threshold: number;
}

/**
 * The guard's view of a family: estimates and the config changes it may suggest. Kept beside the
 * model's code because only the family knows which fields shrink it.
 */
export interface GuardHooks<C> {
  /** Config changes that bring parameters per example under `perExample`. */
  shrink?(cfg: C, data: DataScale, perExample: number): string[];
  /** Passes over the data fixed in the config (no convergence test), with the field to change. */
  passes?(cfg: C): { epochs: number; field: string; alternatives: string[] } | undefined;
  /** The key of thresholds.LR_RANGES' family part ('embedding-bag', 'scratch'). */
  lrFamily?: string;
  /** A penalty too weak to matter, for convex models. */
  weakPenalty?(cfg: C): WeakPenalty | undefined;
  /** Other learning-rate sanity checks for models without a training loop. */
  stepSize?(cfg: C): WeakPenalty | undefined;
  /** True when the learning rate falls to zero by the last step (fastText's decay, linear/cosine schedules). */
  lrDecaysToZero?(cfg: C): boolean;
  /** Whether the model trains with dropout when the config names none (a checkpoint's own dropout). */
  impliedDropout?(cfg: C): boolean;
  /** The full LR_RANGES key when the family picks it per config (pretrained: full or a PEFT method). */
  lrKey?(cfg: C): string;
  /** A LoRA rank and the config field that holds it, for the guard's rank rule. */
  loraRank?(cfg: C): { rank: number; field: string } | undefined;
  /**
   * Device-memory problems the config would hit (a weight above the adapter's largest storage
   * buffer, a peak above the budget), each with the figures and what would fit.
   */
  deviceMemory?(cfg: C, limits: DeviceLimits, data: DataScale): { message: string; saferAlternatives: string[]; value: number; threshold: number }[];
}

/** What the device allows, when known: the adapter's largest storage buffer and a memory budget, in bytes. */
export interface DeviceLimits {
  maxStorageBufferBindingSize?: number;
  memoryBudget?: number;
}

/**
 * The light half of a spec: what the page may ask about a model type without loading its code
 * (no TF.js, no solvers), kept in each family's traits.ts and listed in traits.ts.
 */
export interface ModelTraits {
  family: ModelFamily;
  /** Config `type`s of the family; also the artifact `kind`s it loads. */
  types: readonly string[];
  capabilities: ModelCapabilities;
  /** A small hyper-parameter grid per type worth trying first (families with `gridSearch`). */
  suggestedGrid?: Readonly<Record<string, Record<string, readonly unknown[]>>>;
}

export interface ModelSpec<C extends { type: string } = { type: string }> extends ModelTraits {
  types: readonly C['type'][];
  /** One zod object per type, joined by the registry into the config's discriminated union. */
  schemas: readonly z.core.$ZodTypeDiscriminable[];
  create(cfg: C): Estimator;
  /** Rebuilds a fitted model; `env.assets` resolves what the artifact holds by reference (`refs`). */
  load(artifact: ModelArtifact, env?: LoadEnv): Estimator;
  /** Trainable parameters from the config alone, before anything is built (an upper bound). */
  estimate(cfg: C, data: DataScale): ParameterEstimate;
  /** Memory for the weights, and while training (weights, gradients, optimizer state). */
  memory(cfg: C, data: DataScale): { weightBytes: number; trainingBytes: number };
  capacity(cfg: C): CapacityKind;
  /** What training needs: a tensor backend or plain TypeScript. */
  trainsOn(cfg: C): Compute;
  /** What prediction with a saved artifact needs. */
  predictsOn(artifact: ModelArtifact): Compute;
  guard: GuardHooks<C>;
  /** How one training example's work and activations scale, for families trained on tensors (run estimates, core/estimate). */
  cost?(cfg: C, data: DataScale): TrainingCost;
}

/**
 * The work of a tensor-trained model per example, counted from its architecture: the estimates
 * turn it into seconds with a backend's calibrated FLOP rate and into bytes with the batch size.
 */
export interface TrainingCost {
  /** Time steps per example after per-batch padding (AG News-sized texts unless the cap is lower). */
  tokens: number;
  /** FLOPs of one forward pass over one example (multiply-adds count 2); a training step is about three. */
  forwardFlops: number;
  /** Values the optimizer updates per step: the whole model for dense gradients. */
  updatedPerStep: number;
  /** Values updated per example on top of that: the embedding rows a sparse optimizer touches. */
  updatedPerExample: number;
  /** Bytes one example's activations hold until its backward pass is done (TF.js keeps every op's inputs). */
  activationBytes: number;
  /** Values the model allocates, where that is more than its parameter estimate (a hashed table is allocated whole, reached or not). */
  allocated?: number;
  /** Values of the largest single weight (an embedding table): an Adam step holds its new value and moments beside the old ones. */
  largest?: number;
  /** Bytes a saved model carries besides its weights (a TF-IDF vocabulary's n-gram strings and idf values). */
  savedExtraBytes?: number;
}

/** Float32 weights; training with Adam-style optimisers keeps two more copies plus the gradient. */
export function memoryEstimate(parameters: number, optimizer: 'none' | 'sgd' | 'adam'): { weightBytes: number; trainingBytes: number } {
  const weightBytes = 4 * parameters;
  const copies = optimizer === 'adam' ? 4 : optimizer === 'sgd' ? 2 : 1;
  return { weightBytes, trainingBytes: copies * weightBytes };
}
