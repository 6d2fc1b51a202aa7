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
      tf.tidy(() => {
        const decayed = this.wd > 0 && this.decays(name) ? tf.mul(p, 1 - lr * this.wd) : p;
        const m = tf.add(slot.m, tf.mul(tf.sub(g, slot.m), 1 - this.b1));
        const v = tf.add(tf.mul(slot.v, this.b2), tf.mul(tf.square(g), 1 - this.b2));
        const bc1 = 1 - this.b1 ** t;
        const bc2Sqrt = Math.sqrt(1 - this.b2 ** t);
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.eps);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), lr / bc1)));
        slot.m.assign(m);
        slot.v.assign(v);
      });
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

/** A non-trainable variable holding t's data; t itself is released (the variable keeps its own reference). */
function keep(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t, false);
  t.dispose();
  return v;
}
