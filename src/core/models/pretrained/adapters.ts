/**
 * Bottleneck adapters (Houlsby et al. 2019; Pfeiffer et al. 2021, as AdapterHub places them): a
 * small down-projection, a non-linearity and an up-projection added residually to the output of
 * a frozen sub-layer, h + up(f(down(h))), before the block's residual add and LayerNorm.
 * Houlsby puts one after the attention output projection and one after the feed-forward output;
 * Pfeiffer only after the feed-forward output. Both projections are dense modules of every
 * architecture here, so the adapter wraps `dense` by module name like LoRA.
 *
 * The up-projection starts at zero (AdapterHub's "mam_adapter" / LoRA-style initialisation), so a
 * fresh adapter is exactly the identity and training starts from the base model. One difference
 * from AdapterHub: it applies the adapter after the sub-layer's dropout, this after the dense and
 * before that dropout; in eval mode (and with dropout 0) the two are the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../util/errors';
import { linear, type DenseAdapter } from './context';
import type { EncoderModel } from './model';
import { activation } from './ops';
import { copySavedModules, trainableFrom } from './saved-modules';

export type AdapterPlacement = 'houlsby' | 'pfeiffer';

export interface BottleneckOptions {
  placement: AdapterPlacement;
  /** Bottleneck width = floor(hidden / reduction), as AdapterHub's reduction_factor. */
  reduction: number;
  /** An explicit bottleneck width; replaces `reduction`. */
  size?: number;
  /** An activation name as config.json writes it (relu, gelu, tanh, silu, ...). */
  nonLinearity: string;
  /** Train the encoder's LayerNorm weights too (Houlsby et al. did). */
  trainLayerNorms: boolean;
  /** Head modules trained in full beside the adapters. */
  modulesToSave?: string[];
}

/**
 * The sub-layer outputs each placement wraps, by architecture: BERT, RoBERTa, ELECTRA and DeBERTa
 * name them `layer.N.attention.output.dense` and `layer.N.output.dense`, DistilBERT
 * `layer.N.attention.out_lin` and `layer.N.ffn.lin2`.
 */
const ATTENTION_OUTPUT = /\.layer\.\d+\.attention\.(output\.dense|out_lin)$/;
const FFN_OUTPUT = /\.layer\.\d+\.(output\.dense|ffn\.lin2)$/;
/** The encoder layers' LayerNorm weights (the embeddings' own stays frozen). */
const LAYER_NORM = /\.layer\.\d+\.(attention\.output\.LayerNorm|output\.LayerNorm|sa_layer_norm|output_layer_norm)\.(weight|bias)$/;

/** Whether a weight is one of the LayerNorms a Houlsby-style run trains with its adapters. */
export const trainsLayerNorm = (name: string) => LAYER_NORM.test(name);

export function adapterModules(modules: Iterable<string>, placement: AdapterPlacement): string[] {
  return [...modules].filter((m) => FFN_OUTPUT.test(m) || (placement === 'houlsby' && ATTENTION_OUTPUT.test(m)));
}

/** The bottleneck width for a hidden size; a clear error when it would be empty or no narrower. */
export function bottleneckSize(hidden: number, options: Pick<BottleneckOptions, 'reduction' | 'size'>): number {
  const size = options.size ?? Math.floor(hidden / options.reduction);
  if (size < 1)
    throw new ConfigError(`model.adapter.reduction ${options.reduction} leaves no bottleneck for hidden size ${hidden}: use at most ${hidden}, or set model.adapter.size`);
  return size;
}

interface Projection {
  w: tf.Variable;
  b: tf.Variable;
}

export class Bottleneck implements DenseAdapter {
  readonly down = new Map<string, Projection>();
  readonly up = new Map<string, Projection>();
  readonly saved: Map<string, tf.Variable>;
  /** The model's own LayerNorm variables when they train (not owned: never disposed here). */
  readonly layerNorms = new Map<string, tf.Variable>();
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(
    readonly model: EncoderModel,
    readonly options: BottleneckOptions,
    seed: number,
  ) {
    this.act = activation(options.nonLinearity);
    const modulesToSave = options.modulesToSave ?? ['classifier', 'score'];
    const dense = [...model.weights.keys()].filter((n) => n.endsWith('.weight')).map((n) => n.slice(0, -'.weight'.length));
    const modules = adapterModules(dense, options.placement);
    if (!modules.length) throw new Error(`adapter: no ${options.placement} sub-layer outputs found in the ${model.architecture.prefix} model`);
    modules.forEach((m, i) => {
      const hidden = model.weights.get(`${m}.weight`)!.shape[0];
      const size = bottleneckSize(hidden, options);
      // Kaiming-uniform (a = sqrt 5) as torch.nn.Linear initialises, i.e. U(±1/sqrt(in)).
      const bound = 1 / Math.sqrt(hidden);
      this.down.set(m, { w: trainableFrom(tf.randomUniform([size, hidden], -bound, bound, 'float32', seed + i)), b: trainableFrom(tf.zeros([size])) });
      this.up.set(m, { w: trainableFrom(tf.zeros([hidden, size])), b: trainableFrom(tf.zeros([hidden])) });
    });
    if (options.trainLayerNorms) for (const [n, v] of model.weights) if (trainsLayerNorm(n)) this.layerNorms.set(n, v);
    this.saved = copySavedModules(model, modulesToSave);
  }

  claims(module: string): boolean {
    return this.down.has(module);
  }

  apply(module: string, x: tf.Tensor, base: (input: tf.Tensor) => tf.Tensor): tf.Tensor {
    const h = base(x);
    const d = this.down.get(module)!;
    const u = this.up.get(module)!;
    return tf.add(h, linear(this.act(linear(h, d.w, d.b)), u.w, u.b));
  }

  get overrides(): ReadonlyMap<string, tf.Tensor> {
    return this.saved;
  }

  /** Trainable variables by name: `<module>.adapter.down.weight` etc., LayerNorms and head by their own names. */
  trainable(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [kind, map] of [
      ['down', this.down],
      ['up', this.up],
    ] as const)
      for (const [m, p] of map) {
        out.set(`${m}.adapter.${kind}.weight`, p.w);
        out.set(`${m}.adapter.${kind}.bias`, p.b);
      }
    for (const [n, v] of this.layerNorms) out.set(n, v);
    for (const [n, v] of this.saved) out.set(n, v);
    return out;
  }

  dispose(): void {
    for (const p of [...this.down.values(), ...this.up.values()]) tf.dispose([p.w, p.b]);
    for (const v of this.saved.values()) v.dispose();
    this.down.clear();
    this.up.clear();
    this.saved.clear();
    this.layerNorms.clear();
  }
}
