/**
 * LoRA (Hu et al. 2021) as PEFT computes it: for each targeted linear module,
 * y = W x + b + (B A dropout(x)) * alpha / r, with A [r, in] and B [out, r] trained and W frozen;
 * modules_to_save get a trainable copy that shadows the original. Reads and writes PEFT's own
 * adapter format (adapter_config.json + adapter_model.safetensors) and merges into the base weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';
import { decodeSafetensors, encodeSafetensors } from '../../storage/safetensors';
import type { FolderReader } from './checkpoint';
import { linear, type DenseAdapter } from './context';
import type { EncoderModel } from './model';
import { isSavedModule, isTarget, linearModules, type TargetModules } from './peft-match';
import { readTensor } from './read';
import { copySavedModules, trainableFrom } from './saved-modules';
import type { EncoderContext } from './types';

export interface LoraOptions {
  r: number;
  alpha: number;
  dropout: number;
  /** Default: the architecture's PEFT defaults. */
  targetModules?: TargetModules;
  /** Head modules trained in full beside the adapters (PEFT's SEQ_CLS default: classifier, score). */
  modulesToSave?: string[];
  /** rsLoRA: scale alpha / sqrt(r). */
  useRslora?: boolean;
}

/** PEFT's saved-file prefix for a SEQ_CLS model. */
const PREFIX = 'base_model.model.';
/** adapter_config.json options this implementation computes only at their defaults. */
const UNSUPPORTED: [string, (v: unknown) => boolean][] = [
  ['use_dora', (v) => v === true],
  ['fan_in_fan_out', (v) => v === true],
  ['lora_bias', (v) => v === true],
  ['bias', (v) => v !== undefined && v !== 'none'],
  ['layers_to_transform', (v) => v !== undefined && v !== null],
  ['rank_pattern', (v) => !!v && Object.keys(v as object).length > 0],
  ['alpha_pattern', (v) => !!v && Object.keys(v as object).length > 0],
];

export class Lora implements DenseAdapter {
  readonly a = new Map<string, tf.Variable>();
  readonly b = new Map<string, tf.Variable>();
  /** Trainable copies of the modules_to_save weights, by the base weight's name. */
  readonly saved = new Map<string, tf.Variable>();
  readonly scaling: number;
  readonly targets: TargetModules;
  readonly modulesToSave: string[];

  private constructor(
    readonly model: EncoderModel,
    readonly options: LoraOptions,
  ) {
    this.scaling = options.alpha / (options.useRslora ? Math.sqrt(options.r) : options.r);
    this.targets = options.targetModules ?? model.architecture.defaultLoraTargets;
    this.modulesToSave = options.modulesToSave ?? ['classifier', 'score'];
  }

  /** Fresh adapters as PEFT initialises them: A kaiming-uniform (a = sqrt 5, i.e. U(±1/sqrt(in))), B zero. */
  static create(model: EncoderModel, options: LoraOptions, seed: number): Lora {
    const lora = new Lora(model, options);
    const modules = lora.targetedModules();
    modules.forEach((m, i) => {
      const [out, inp] = model.weights.get(`${m}.weight`)!.shape;
      const bound = 1 / Math.sqrt(inp);
      lora.a.set(m, trainableFrom(tf.randomUniform([options.r, inp], -bound, bound, 'float32', seed + i)));
      lora.b.set(m, trainableFrom(tf.zeros([out, options.r])));
    });
    for (const [n, v] of copySavedModules(model, lora.modulesToSave)) lora.saved.set(n, v);
    return lora;
  }

  /** An adapter saved by PEFT (or by `toPeft`) for this model. */
  static fromPeft(model: EncoderModel, adapterConfig: Record<string, unknown>, tensors: Record<string, NamedTensor>): Lora {
    if (adapterConfig.peft_type !== 'LORA') throw new Error(`adapter_config.json: peft_type '${String(adapterConfig.peft_type)}' is not LORA`);
    const bad = UNSUPPORTED.filter(([k, isSet]) => isSet(adapterConfig[k])).map(([k]) => `${k}: ${JSON.stringify(adapterConfig[k])}`);
    if (bad.length) throw new Error(`adapter_config.json: unsupported LoRA option(s): ${bad.join('; ')}`);
    const lora = new Lora(model, {
      r: adapterConfig.r as number,
      alpha: adapterConfig.lora_alpha as number,
      dropout: (adapterConfig.lora_dropout as number | undefined) ?? 0,
      targetModules: (adapterConfig.target_modules as TargetModules | null) ?? undefined,
      modulesToSave: (adapterConfig.modules_to_save as string[] | null) ?? [],
      useRslora: adapterConfig.use_rslora === true,
    });
    const byName: Record<string, NamedTensor> = {};
    for (const [k, t] of Object.entries(tensors)) {
      if (!k.startsWith(PREFIX)) throw new Error(`adapter_model.safetensors: tensor '${k}' does not start with '${PREFIX}'`);
      byName[k.slice(PREFIX.length)] = t;
    }
    for (const m of lora.targetedModules()) {
      const a = byName[`${m}.lora_A.weight`];
      const b = byName[`${m}.lora_B.weight`];
      if (!a || !b) throw new Error(`adapter_model.safetensors: no lora_A/lora_B weights for the targeted module '${m}'`);
      lora.a.set(m, trainableFrom(tf.tensor(a.data, a.shape, 'float32')));
      lora.b.set(m, trainableFrom(tf.tensor(b.data, b.shape, 'float32')));
      delete byName[`${m}.lora_A.weight`];
      delete byName[`${m}.lora_B.weight`];
    }
    for (const [n, v] of copySavedModules(model, lora.modulesToSave, byName)) lora.saved.set(n, v);
    const unused = Object.keys(byName).filter((n) => !lora.saved.has(n));
    if (unused.length) throw new Error(`adapter_model.safetensors: tensors that match no module of the model: ${unused.slice(0, 5).join(', ')}`);
    return lora;
  }

  static async readPeft(model: EncoderModel, read: FolderReader): Promise<Lora> {
    const config = await read('adapter_config.json');
    const weights = await read('adapter_model.safetensors');
    if (!config || !weights) throw new Error('a PEFT adapter folder needs adapter_config.json and adapter_model.safetensors');
    const tensors = decodeSafetensors(weights, 'adapter_model.safetensors').tensors as Record<string, NamedTensor>;
    return Lora.fromPeft(model, JSON.parse(new TextDecoder().decode(config)) as Record<string, unknown>, tensors);
  }

  private targetedModules(): string[] {
    const modules = linearModules(new Map([...this.model.weights].map(([n, v]) => [n, { rank: v.rank }]))).filter(
      (m) => isTarget(m, this.targets) && !isSavedModule(`${m}.weight`, this.modulesToSave),
    );
    if (!modules.length) throw new Error(`LoRA: target_modules ${JSON.stringify(this.targets)} match no linear module of the ${this.model.architecture.prefix} model`);
    return modules;
  }

  claims(module: string): boolean {
    return this.a.has(module);
  }

  apply(module: string, x: tf.Tensor, base: (input: tf.Tensor) => tf.Tensor, ctx: EncoderContext): tf.Tensor {
    const down = linear(ctx.dropout(x, this.options.dropout), this.a.get(module)!, undefined);
    return tf.add(base(x), tf.mul(linear(down, this.b.get(module)!, undefined), this.scaling));
  }

  /** What the forward pass reads instead of the model's own weights (the saved modules' copies). */
  get overrides(): ReadonlyMap<string, tf.Tensor> {
    return this.saved;
  }

  /** The trainable variables by name (`<module>.lora_A.weight`, head weights by their own name). */
  trainable(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [m, v] of this.a) out.set(`${m}.lora_A.weight`, v);
    for (const [m, v] of this.b) out.set(`${m}.lora_B.weight`, v);
    for (const [n, v] of this.saved) out.set(n, v);
    return out;
  }

  /** PEFT's adapter_config.json for this adapter (the base's name and revision are the caller's to add). */
  peftConfig(): Record<string, unknown> {
    return {
      peft_type: 'LORA',
      task_type: 'SEQ_CLS',
      r: this.options.r,
      lora_alpha: this.options.alpha,
      lora_dropout: this.options.dropout,
      target_modules: this.targets,
      modules_to_save: this.modulesToSave,
      use_rslora: this.options.useRslora ?? false,
      bias: 'none',
      fan_in_fan_out: false,
      init_lora_weights: true,
      inference_mode: true,
    };
  }

  /** adapter_model.safetensors' tensors by PEFT's names. */
  async peftTensors(): Promise<Record<string, NamedTensor>> {
    const tensors: Record<string, NamedTensor> = {};
    for (const [n, v] of this.trainable()) tensors[PREFIX + n] = await readTensor(v);
    return tensors;
  }

  /** PEFT's adapter_config.json and adapter_model.safetensors contents. */
  async toPeft(): Promise<{ config: Record<string, unknown>; weights: Uint8Array }> {
    return { config: this.peftConfig(), weights: encodeSafetensors(await this.peftTensors(), { format: 'pt' }) };
  }

  /** Folds W += scaling * B A into the model and copies the saved modules back; the model then runs without adapters. */
  mergeInto(): void {
    for (const [m, a] of this.a) {
      const w = this.model.weights.get(`${m}.weight`)!;
      tf.tidy(() => w.assign(tf.add(w, tf.mul(tf.matMul(this.b.get(m)!, a), this.scaling))));
    }
    for (const [n, v] of this.saved) this.model.weights.get(n)!.assign(v);
  }

  dispose(): void {
    for (const v of [...this.a.values(), ...this.b.values(), ...this.saved.values()]) v.dispose();
    this.a.clear();
    this.b.clear();
    this.saved.clear();
  }
}
