import type { Example } from '../data/types';
import type { AssetStore } from '../storage/asset-store';
import type { TrainEvent } from '../train/events';
import type { ArtifactMember as Member, AssetRef } from '../storage/artifact-ref';

export type ModelFamily = 'classical' | 'neural' | 'pretrained' | 'ensemble';

/** A tensor in a model artifact: row-major, as safetensors stores it. */
export interface NamedTensor {
  dtype: 'F32' | 'I32';
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A model inside another (an ensemble's members, a cascade's stages): carried whole, or referenced. */
export type ArtifactMember = Member<ModelArtifact>;
export type { AssetRef };

/**
 * Everything needed to rebuild a fitted model: JSON metadata (kind, hyper-parameters,
 * vocabulary) plus named tensors. Serialised as one safetensors file. `members` name the models
 * an ensemble combines; `refs` point at weights stored once elsewhere (a LoRA run's base model),
 * so an artifact need not copy them.
 */
export interface ModelArtifact {
  kind: string;
  meta: Record<string, unknown>;
  tensors: Record<string, NamedTensor>;
  members?: ArtifactMember[];
  refs?: AssetRef[];
}

/** Where a training loop writes its checkpoints (a run folder in practice). */
export interface CheckpointSink {
  /** Steps between 'latest' checkpoints; 0 = only at epoch ends. */
  everySteps: number;
  save(slot: 'latest' | 'best', artifact: ModelArtifact, position: { step: number; epoch: number }): Promise<void>;
}

export interface FitContext {
  classes: string[];
  validation?: Example[];
  seed: number;
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  checkpoints?: CheckpointSink;
  /** A 'latest' checkpoint to continue from: weights, optimizer state, position and RNG. */
  resume?: ModelArtifact;
  /**
   * Live control from monitors: a reason to halt (training stops, the best weights are kept),
   * and a factor applied to the scheduled learning rate.
   */
  control?: { halt?: string; lrScale: number };
  /**
   * Where files a model reads by reference come from (a pretrained run's base checkpoint,
   * `hf:`/`file:` URIs): the lab's asset store. Families that read nothing ignore it.
   */
  assets?: AssetStore;
  /**
   * Opens a pretrained base (`hf:OWNER/NAME[@REV]` or `file:` folder) as files, when the caller
   * resolves bases itself (e.g. pinned to a Hub commit with overall progress); otherwise the
   * pretrained tier reads them file by file through `assets`.
   */
  openBase?: (base: string) => Promise<ModelFolder>;
  /**
   * Knowledge distillation: a teacher's probabilities for each training example (one row per
   * example, in the order of `train`), mixed into the loss with weight 1 - alpha at temperature
   * T (see train/distill-loss). Families that cannot learn from them refuse the fit.
   */
  softTargets?: SoftTargets;
  /**
   * A finished run's loss on each training example (-log p[label], in the order of `train`), for
   * a curriculum that ranks examples by it (model.train.techniques.curriculum score 'loss').
   */
  exampleDifficulty?: Float32Array;
}

export interface SoftTargets {
  probs: Float32Array[];
  alpha: number;
  temperature: number;
}

/** A model folder's files by name (undefined for one it lacks), with the reference each file read has. */
export interface ModelFolder {
  read(name: string): Promise<Uint8Array | undefined>;
  /** URI, sha256 and size of a file read so far, for an artifact's `refs`. */
  ref(name: string): AssetRef;
  describe: { id: string; revision?: string };
}

/** What a loader may need besides the artifact: the asset store that resolves its `refs`. */
export interface LoadEnv {
  assets?: AssetStore;
}

export interface FitSummary {
  /** Epochs or passes actually run. */
  epochs: number;
  steps: number;
  /** Set when training stopped before its budget (early stopping, cancel). */
  stoppedEarly?: string;
}

/**
 * The one interface every model implements (scikit-learn style), so that evaluation,
 * calibration, ensembles and the CLI work on any of them.
 */
export interface Estimator {
  readonly kind: string;
  readonly family: ModelFamily;
  fit(train: Example[], ctx: FitContext): Promise<FitSummary>;
  /** Row-major probabilities: one Float32Array of length `classes` per text. */
  predictProba(texts: string[]): Promise<Float32Array[]>;
  /** Async because GPU-resident weights are read back without blocking (dataSync stalls WebGPU). */
  save(): Promise<ModelArtifact>;
  /** Number of trainable parameters (non-zero weights for sparse models). */
  parameterCount(): number;
  /** Releases tensors or other resources. Safe to call twice. */
  dispose(): void;
  /**
   * Probabilities before the model's calibration map, with the map's name and how the "before"
   * probabilities are formed (e.g. a softmax of raw scores), so that reports can show what
   * calibration changed; null when the model applies none.
   */
  uncalibratedProba?(texts: string[]): Promise<{ method: string; before: string; probs: Float32Array[] } | null>;
  /** Per-token contributions to one class's score, where the model can say (see TokenAttribution). */
  explain?(text: string, target?: number): Promise<TokenAttribution>;
}

/**
 * Which input tokens pushed a prediction towards `target`: one score per token, positive for
 * support, negative against. Neural models use gradient × input on the token embeddings.
 */
export interface TokenAttribution {
  tokens: string[];
  scores: number[];
  target: number;
  probs: number[];
  method: string;
}
