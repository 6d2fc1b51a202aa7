/**
 * Layer-wise learning-rate decay (Clark et al. 2020; Sun et al. 2019): parameters are grouped by
 * depth (embeddings 0, encoder layer i at i + 1, everything above the last layer at L + 1) and
 * each group trains at lr * decay^(L + 1 - depth). One torch-exact AdamW per group; a layer's
 * LoRA or IA3 tensors fall in that layer's group by their module name. Gradual unfreezing
 * (unfreeze.ts) reads the same depths: a group takes no step, and keeps no AdamW state, until its
 * depth is unfrozen, and then starts at its own rate.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';
import { AdamW, type AdamWOptions } from './adamw';

/** The depth of a parameter by name: 0 embeddings, i + 1 encoder layer i, layers + 1 the rest. */
export function depthOf(name: string, layers: number): number {
  const layer = /\.layer\.(\d+)\./.exec(name);
  if (layer) return Number(layer[1]) + 1;
  if (/embeddings/.test(name)) return 0;
  // DeBERTa's encoder-level LayerNorm normalises the relative embeddings every layer reads; its ConvLayer runs after layer 0.
  if (/\.encoder\.LayerNorm\./.test(name)) return 0;
  if (/\.encoder\.conv\./.test(name)) return 1;
  return layers + 1;
}

/** The `exp_avg.X`, `exp_avg_sq.X`, `step.X` entries of parameter X. */
const paramOf = (key: string) => key.slice(key.indexOf('.') + 1);

export class GroupedAdamW {
  private readonly groups: { scale: number; names: Set<string>; opt: AdamW }[] = [];

  constructor(params: ReadonlyMap<string, tf.Variable>, layers: number, decay: number, opts: AdamWOptions) {
    const byDepth = new Map<number, Map<string, tf.Variable>>();
    for (const [name, v] of params) {
      const d = decay === 1 ? 0 : depthOf(name, layers);
      if (!byDepth.has(d)) byDepth.set(d, new Map());
      byDepth.get(d)!.set(name, v);
    }
    for (const [d, group] of [...byDepth].sort((a, b) => a[0] - b[0])) {
      this.groups.push({ scale: decay === 1 ? 1 : decay ** (layers + 1 - d), names: new Set(group.keys()), opt: new AdamW(group, opts) });
    }
  }

  /** Sets every group's rate from the peak (already scheduled) rate. */
  setLr(lr: number): void {
    for (const g of this.groups) g.opt.lr = lr * g.scale;
  }

  /** Each group's multiplier of the peak rate, deepest last (for logs and tests). */
  get scales(): number[] {
    return this.groups.map((g) => g.scale);
  }

  step(grads: ReadonlyMap<string, tf.Tensor>): void {
    for (const g of this.groups) g.opt.step(new Map([...grads].filter(([n]) => g.names.has(n))));
  }

  async state(): Promise<Record<string, NamedTensor>> {
    const out: Record<string, NamedTensor> = {};
    for (const g of this.groups) Object.assign(out, await g.opt.state());
    return out;
  }

  load(state: Record<string, NamedTensor>): void {
    for (const g of this.groups) g.opt.load(Object.fromEntries(Object.entries(state).filter(([k]) => g.names.has(paramOf(k)))));
  }

  dispose(): void {
    for (const g of this.groups) g.opt.dispose();
  }
}
