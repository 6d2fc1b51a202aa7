/**
 * A pretrained encoder held as TF.js variables: the architecture, its config, and every weight by
 * prefixed name. Forward passes run through an EncoderContext so PEFT adapters can wrap `dense`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createContext, type DenseAdapter } from './context';
import type { FloatTensor, HfCheckpoint } from './checkpoint';
import type { NamedTensor } from '../estimator';
import { configLabels, fitWeights, initialWeight } from './fit-weights';
import { attachHooks, type ForwardHooks } from './hooks';
import { meanHead, meanHeadModule } from './pooling';
import { readTensors } from './read';
import type { EncoderArchitecture, EncoderInputs, EncoderOutputs, HfConfig } from './types';

export interface ForwardOptions {
  training?: boolean;
  seed?: number;
  adapters?: DenseAdapter[];
  /** Extra tensors by name that shadow the model's own (an adapter's trained copy of a head). */
  overrides?: ReadonlyMap<string, tf.Tensor>;
  /** A training technique's hooks on this pass (hooks.ts). */
  hooks?: ForwardHooks;
}

export class EncoderModel {
  readonly weights = new Map<string, tf.Variable>();

  constructor(
    readonly architecture: EncoderArchitecture,
    readonly config: HfConfig,
    weights: Record<string, FloatTensor | tf.Tensor>,
  ) {
    for (const [name, t] of Object.entries(weights)) {
      const initial = t instanceof tf.Tensor ? t : tf.tensor(t.data, t.shape, 'float32');
      this.weights.set(name, tf.variable(initial, true, uniqueName(name)));
      // The variable holds its own reference to the data.
      initial.dispose();
    }
  }

  /** Weights initialised fresh when the model was built from a checkpoint (a new head). */
  initialised: string[] = [];

  /** 'cls': the architecture's own head; 'mean': masked mean of the last hidden states into the classifier (pooling.ts). */
  pooling: 'cls' | 'mean' = 'cls';

  /**
   * The classifier for `numLabels` classes (default: the config's) from a checkpoint; see
   * fitWeights for what starts fresh. `config` replaces the checkpoint's (e.g. without dropout).
   */
  static fromCheckpoint(c: HfCheckpoint, opts: { numLabels?: number; seed?: number; config?: HfConfig } = {}): EncoderModel {
    const config = opts.config ?? c.config;
    const fitted = fitWeights({ ...c, config }, opts.numLabels ?? configLabels(config), opts.seed ?? 0);
    const model = new EncoderModel(c.architecture, config, fitted.weights);
    model.initialised = fitted.initialised;
    return model;
  }

  /**
   * Random weights of the shapes the architecture gives for this config: normal(0,
   * initializer_range) for matrices and embeddings, LayerNorm at identity, biases zero, as
   * transformers initialises. For benchmarks and fresh heads; values do not change the speed.
   */
  static random(architecture: EncoderArchitecture, config: HfConfig, numLabels: number, seed: number): EncoderModel {
    if (!architecture.weightShapes) throw new Error(`${architecture.prefix}: the architecture does not list its weight shapes`);
    const weights: Record<string, tf.Tensor> = {};
    let i = 0;
    for (const [name, shape] of Object.entries(architecture.weightShapes(config, numLabels))) weights[name] = initialWeight(name, shape, config, seed + i++);
    return new EncoderModel(architecture, config, weights);
  }

  /** Runs the architecture; call inside tf.tidy (or dispose the outputs). */
  forward(inputs: EncoderInputs, opts: ForwardOptions = {}): EncoderOutputs {
    const lookup = (name: string) => opts.overrides?.get(name) ?? this.weights.get(name);
    const pooled = opts.hooks?.pooled;
    // The pooled hook wraps the classifier's last linear layer outermost, so it sees the pooled vector before any PEFT adapter.
    const head = pooled && this.headModule();
    const mix: DenseAdapter[] = pooled ? [{ claims: (m) => m === head, apply: (_m, x, base) => base(pooled(x)) }] : [];
    const ctx = createContext(lookup, { training: opts.training ?? false, seed: opts.seed, adapters: [...(opts.adapters ?? []), ...mix] });
    if (opts.hooks) attachHooks(ctx, opts.hooks);
    const out = this.architecture.forward(this.config, inputs, ctx);
    if (this.pooling === 'cls') return out;
    // The [CLS] head's logits are left unused (a few small matmuls); the tape prunes them.
    return {
      lastHidden: out.lastHidden,
      logits: meanHead(out.lastHidden, inputs.attentionMask, ctx, this.config, this.headModule()),
    };
  }

  /** The classifier's last linear layer: `classifier` (BERT, DistilBERT, DeBERTa) or `classifier.out_proj` (RoBERTa, ELECTRA). */
  headModule(): string {
    return meanHeadModule((n) => this.weights.has(n));
  }

  /**
   * Logits for int ids [B, L] and mask [B, L] given as nested arrays (eval mode), read
   * synchronously: fine on the CPU and WASM backends and in browsers; Dawn's WebGPU in Node has
   * no synchronous read (no OffscreenCanvas), so use `readLogits` there.
   */
  logits(inputIds: number[][], attentionMask: number[][], opts: ForwardOptions = {}): number[][] {
    return tf.tidy(() => this.logitsTensor(inputIds, attentionMask, opts).arraySync());
  }

  /** `logits` read asynchronously: works on every backend. */
  async readLogits(inputIds: number[][], attentionMask: number[][], opts: ForwardOptions = {}): Promise<number[][]> {
    const t = tf.tidy(() => this.logitsTensor(inputIds, attentionMask, opts));
    try {
      return await t.array();
    } finally {
      t.dispose();
    }
  }

  private logitsTensor(inputIds: number[][], attentionMask: number[][], opts: ForwardOptions): tf.Tensor2D {
    return this.forward({ inputIds: tf.tensor2d(inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(attentionMask, undefined, 'int32') }, opts).logits;
  }

  /** Every weight as float arrays by name (what a safetensors writer takes). */
  toTensors(): Promise<Record<string, NamedTensor>> {
    return readTensors(this.weights);
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
  }
}

let created = 0;
/** TF.js variable names are global: two models with the same weight names must not collide. */
function uniqueName(name: string): string {
  return `pretrained/${created++}/${name}`;
}

/** A copy of config.json with every dropout probability set to p (PyTorch's parity runs use 0). */
export function withDropout(config: HfConfig, p: number): HfConfig {
  const out: HfConfig = { ...config };
  for (const key of Object.keys(out)) if (/dropout(_prob)?$/.test(key)) out[key] = p;
  return out;
}
