/**
 * (IA)³ (Liu et al. 2022) as PEFT computes it: a learned vector per targeted linear module,
 * initialised to ones. On a feed-forward module it scales the input (y = W (l * x) + b);
 * elsewhere (keys, values) it scales the whole output, bias included (y = l * (W x + b)).
 * PEFT matches feedforward_modules by plain suffix, so BERT's "output.dense" also takes in
 * attention.output.dense, as in PEFT.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';
import type { DenseAdapter } from './context';
import type { EncoderModel } from './model';
import { isSavedModule, isTarget, linearModules, type TargetModules } from './peft-match';
import { readTensor } from './read';
import { copySavedModules, trainableFrom } from './saved-modules';

/** PEFT's IA3 defaults (targets, feed-forward subset); DistilBERT and ELECTRA are not in PEFT's map and follow the paper. */
const DEFAULTS: Record<string, { targets: string[]; feedforward: string[] }> = {
  bert: { targets: ['key', 'value', 'output.dense'], feedforward: ['output.dense'] },
  roberta: { targets: ['key', 'value', 'output.dense'], feedforward: ['output.dense'] },
  electra: { targets: ['key', 'value', 'output.dense'], feedforward: ['output.dense'] },
  'deberta-v2': { targets: ['key_proj', 'value_proj', 'output.dense'], feedforward: ['output.dense'] },
  distilbert: { targets: ['k_lin', 'v_lin', 'lin2'], feedforward: ['lin2'] },
};

/** PEFT's IA3 targets and feed-forward subset for a model_type, when it has defaults. */
export function ia3Defaults(modelType: string): { targets: string[]; feedforward: string[] } | undefined {
  return DEFAULTS[modelType];
}

export interface Ia3Options {
  targetModules?: TargetModules;
  feedforwardModules?: string[];
  modulesToSave?: string[];
}

const PREFIX = 'base_model.model.';

export class Ia3 implements DenseAdapter {
  /** The scaling vector of each targeted module ([in] for feed-forward modules, else [out]). */
  readonly scales = new Map<string, tf.Variable>();
  readonly feedforward = new Set<string>();
  readonly saved: Map<string, tf.Variable>;
  readonly targets: TargetModules;
  readonly feedforwardModules: string[];
  readonly modulesToSave: string[];

  constructor(
    readonly model: EncoderModel,
    options: Ia3Options = {},
    fromFile: Record<string, NamedTensor> = {},
  ) {
    const defaults = DEFAULTS[model.config.model_type];
    const targets = options.targetModules ?? defaults?.targets;
    const ff = options.feedforwardModules ?? defaults?.feedforward ?? [];
    if (!targets) throw new Error(`IA3: no default target modules for model_type '${model.config.model_type}'; name them`);
    const modulesToSave = options.modulesToSave ?? ['classifier', 'score'];
    this.targets = targets;
    this.feedforwardModules = ff;
    this.modulesToSave = modulesToSave;
    const all = linearModules(new Map([...model.weights].map(([n, v]) => [n, { rank: v.rank }])));
    for (const m of all.filter((name) => isTarget(name, targets) && !isSavedModule(`${name}.weight`, modulesToSave))) {
      const [out, inp] = model.weights.get(`${m}.weight`)!.shape;
      const isFf = ff.some((f) => m.endsWith(f));
      if (isFf) this.feedforward.add(m);
      const f = fromFile[`${m}.ia3_l`];
      this.scales.set(m, trainableFrom(f ? tf.tidy(() => tf.reshape(tf.tensor(f.data, f.shape, 'float32'), [-1])) : tf.ones([isFf ? inp : out])));
    }
    if (!this.scales.size) throw new Error(`IA3: target_modules ${JSON.stringify(targets)} match no linear module`);
    this.saved = copySavedModules(model, modulesToSave, fromFile);
  }

  /** An adapter saved by PEFT (or by `peftConfig` / `toPeftTensors`) for this model. */
  static fromPeft(model: EncoderModel, adapterConfig: Record<string, unknown>, tensors: Record<string, NamedTensor>): Ia3 {
    if (adapterConfig.peft_type !== 'IA3') throw new Error(`adapter_config.json: peft_type '${String(adapterConfig.peft_type)}' is not IA3`);
    if (adapterConfig.fan_in_fan_out === true) throw new Error('adapter_config.json: unsupported IA3 option fan_in_fan_out: true');
    const byName: Record<string, NamedTensor> = {};
    for (const [k, t] of Object.entries(tensors)) {
      if (!k.startsWith(PREFIX)) throw new Error(`adapter_model.safetensors: tensor '${k}' does not start with '${PREFIX}'`);
      byName[k.slice(PREFIX.length)] = t;
    }
    const ia3 = new Ia3(
      model,
      {
        targetModules: (adapterConfig.target_modules as TargetModules | null) ?? undefined,
        feedforwardModules: (adapterConfig.feedforward_modules as string[] | null) ?? undefined,
        modulesToSave: (adapterConfig.modules_to_save as string[] | null) ?? [],
      },
      byName,
    );
    const missing = [...ia3.scales.keys()].filter((m) => !byName[`${m}.ia3_l`]);
    const unused = Object.keys(byName).filter((n) => !(n.endsWith('.ia3_l') && ia3.scales.has(n.slice(0, -'.ia3_l'.length))) && !ia3.saved.has(n));
    if (missing.length || unused.length) {
      ia3.dispose();
      throw new Error(
        missing.length
          ? `adapter_model.safetensors: no ia3_l vector for the targeted module '${missing[0]}'`
          : `adapter_model.safetensors: tensors that match no module of the model: ${unused.slice(0, 5).join(', ')}`,
      );
    }
    return ia3;
  }

  /** PEFT's adapter_config.json for this adapter (the base's name and revision are the caller's to add). */
  peftConfig(): Record<string, unknown> {
    return {
      peft_type: 'IA3',
      task_type: 'SEQ_CLS',
      target_modules: this.targets,
      feedforward_modules: this.feedforwardModules,
      modules_to_save: this.modulesToSave,
      fan_in_fan_out: false,
      init_ia3_weights: true,
      inference_mode: true,
    };
  }

  claims(module: string): boolean {
    return this.scales.has(module);
  }

  apply(module: string, x: tf.Tensor, base: (input: tf.Tensor) => tf.Tensor): tf.Tensor {
    const l = this.scales.get(module)!;
    return this.feedforward.has(module) ? base(tf.mul(x, l)) : tf.mul(base(x), l);
  }

  get overrides(): ReadonlyMap<string, tf.Tensor> {
    return this.saved;
  }

  trainable(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [m, v] of this.scales) out.set(`${m}.ia3_l`, v);
    for (const [n, v] of this.saved) out.set(n, v);
    return out;
  }

  /** PEFT's adapter_model.safetensors tensors: ia3_l as [1, in] (feed-forward) or [out, 1]. */
  async toPeftTensors(): Promise<Record<string, NamedTensor>> {
    const out: Record<string, NamedTensor> = {};
    for (const [m, v] of this.scales) out[`${PREFIX}${m}.ia3_l`] = { ...(await readTensor(v)), shape: this.feedforward.has(m) ? [1, v.size] : [v.size, 1] };
    for (const [n, v] of this.saved) out[PREFIX + n] = await readTensor(v);
    return out;
  }

  /** Folds the vectors into the weights (columns for feed-forward, rows and bias otherwise) and copies the heads back. */
  mergeInto(): void {
    for (const [m, l] of this.scales) {
      const w = this.model.weights.get(`${m}.weight`)!;
      const b = this.model.weights.get(`${m}.bias`);
      tf.tidy(() => {
        if (this.feedforward.has(m)) w.assign(tf.mul(w, tf.reshape(l, [1, -1])));
        else {
          w.assign(tf.mul(w, tf.reshape(l, [-1, 1])));
          if (b) b.assign(tf.mul(b, l));
        }
      });
    }
    for (const [n, v] of this.saved) this.model.weights.get(n)!.assign(v);
  }

  dispose(): void {
    for (const v of [...this.scales.values(), ...this.saved.values()]) v.dispose();
    this.scales.clear();
    this.saved.clear();
  }
}
