/**
 * torch.optim.AdamW, step for step: decoupled weight decay (param *= 1 - lr*wd) before the
 * moments, bias correction per parameter, eps added after the bias-corrected sqrt of the second
 * moment. A parameter without a gradient this step is skipped entirely, as torch skips grad None.
 * The whole state is tensors by name, so a checkpoint resumes exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';
import { readTensor } from './read';

export interface AdamWOptions {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Which parameters take weight decay; default: all but biases and LayerNorm weights. */
  decays?: (name: string) => boolean;
}

/** The usual fine-tuning groups (Hugging Face Trainer): no decay on biases and LayerNorm weights. */
export function decaysByDefault(name: string): boolean {
  if (name.endsWith('.bias') || name === 'bias') return false;
  return !/(LayerNorm|layer_norm|layernorm)\./.test(name);
}

/**
 * Name of an optional fused kernel: one pass over (param, grad, exp_avg, exp_avg_sq) returning the
 * three updated tensors, instead of ~13 full-size kernels and temporaries per parameter. A platform
 * registers it where that pays (src/platform/kernels/adamw-step.ts: CPU and WASM); elsewhere the
 * step runs the same formula as tensor ops.
 */
export const ADAMW_KERNEL = 'AgnewsAdamWStep';

/** Attributes of ADAMW_KERNEL; inputs are `param`, `grad`, `m`, `v` (float32, one shape). */
export interface AdamWStepAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** lr * weight decay, 0 when the parameter takes none. */
  decay: number;
  /** 1 - beta1^t */
  bc1: number;
  /** sqrt(1 - beta2^t) */
  bc2Sqrt: number;
}

interface Slot {
  step: number;
  m: tf.Variable;
  v: tf.Variable;
}

export class AdamW {
  lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly wd: number;
  private readonly decays: (name: string) => boolean;
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    opts: AdamWOptions,
  ) {
    this.lr = opts.lr;
    [this.b1, this.b2] = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.wd = opts.weightDecay ?? 0.01;
    this.decays = opts.decays ?? decaysByDefault;
  }

  /** Applies one step with the gradients by parameter name (names absent from `grads` are skipped). */
  step(grads: ReadonlyMap<string, tf.Tensor>): void {
    for (const [name, g] of grads) {
      const p = this.params.get(name);
      if (!p) throw new Error(`AdamW: gradient for unknown parameter '${name}'`);
      const slot = this.slot(name, p);
      slot.step++;
      const lr = this.lr;
      const t = slot.step;
      const attrs: AdamWStepAttrs = {
        lr,
        beta1: this.b1,
        beta2: this.b2,
        eps: this.eps,
        decay: this.wd > 0 && this.decays(name) ? lr * this.wd : 0,
        bc1: 1 - this.b1 ** t,
        bc2Sqrt: Math.sqrt(1 - this.b2 ** t),
      };
      const [np, nm, nv] = tf.getKernel(ADAMW_KERNEL, tf.getBackend()) ? fused(p, g, slot, attrs) : composed(p, g, slot, attrs);
      p.assign(np);
      slot.m.assign(nm);
      slot.v.assign(nv);
      tf.dispose([np, nm, nv]);
    }
  }

  private slot(name: string, p: tf.Variable): Slot {
    let s = this.slots.get(name);
    if (!s) {
      s = { step: 0, m: keep(tf.zerosLike(p)), v: keep(tf.zerosLike(p)) };
      this.slots.set(name, s);
    }
    return s;
  }

  /** `exp_avg.<name>`, `exp_avg_sq.<name>` and `step.<name>` for every parameter stepped so far. */
  async state(): Promise<Record<string, NamedTensor>> {
    const out: Record<string, NamedTensor> = {};
    for (const [name, s] of this.slots) {
      out[`exp_avg.${name}`] = await readTensor(s.m);
      out[`exp_avg_sq.${name}`] = await readTensor(s.v);
      out[`step.${name}`] = { dtype: 'I32', shape: [], data: Int32Array.of(s.step) };
    }
    return out;
  }

  /** Restores what `state()` wrote (replacing any current state). */
  load(state: Record<string, NamedTensor>): void {
    this.dispose();
    for (const key of Object.keys(state)) {
      if (!key.startsWith('step.')) continue;
      const name = key.slice('step.'.length);
      const m = state[`exp_avg.${name}`];
      const v = state[`exp_avg_sq.${name}`];
      if (!m || !v) throw new Error(`AdamW state: moments of '${name}' are missing`);
      this.slots.set(name, { step: state[key].data[0], m: keep(tf.tensor(m.data, m.shape, 'float32')), v: keep(tf.tensor(v.data, v.shape, 'float32')) });
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.slots.clear();
  }
}

function fused(p: tf.Tensor, g: tf.Tensor, slot: Slot, attrs: AdamWStepAttrs): tf.Tensor[] {
  const inputs = { param: p, grad: g, m: slot.m, v: slot.v };
  return tf.engine().runKernel(ADAMW_KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
}

function composed(p: tf.Tensor, g: tf.Tensor, slot: Slot, a: AdamWStepAttrs): tf.Tensor[] {
  return tf.tidy(() => {
    const decayed = a.decay > 0 ? tf.mul(p, 1 - a.decay) : p;
    const m = tf.add(slot.m, tf.mul(tf.sub(g, slot.m), 1 - a.beta1));
    const v = tf.add(tf.mul(slot.v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
    const denom = tf.add(tf.div(tf.sqrt(v), a.bc2Sqrt), a.eps);
    return [tf.sub(decayed, tf.mul(tf.div(m, denom), a.lr / a.bc1)), m, v];
  });
}

/** A non-trainable variable holding t's data; t itself is released (the variable keeps its own reference). */
function keep(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t, false);
  t.dispose();
  return v;
}
