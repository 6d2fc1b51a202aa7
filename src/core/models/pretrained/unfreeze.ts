/**
 * Gradual unfreezing (Howard & Ruder 2018, ULMFiT): in period 0 only the head trains (what sits
 * above the last encoder layer: classifier, pooler, pre-classifier), each later period unfreezes
 * one more encoder layer from the top, and the period after the bottom layer unfreezes the
 * embeddings. A period is `every` epochs or `every` optimizer steps. Depths are param-groups.ts's,
 * so discriminative learning rates (`layerDecay`) give each layer its own rate from the step it
 * is unfrozen. It applies to whatever the method trains: for full fine-tuning and BitFit the
 * layers' weights or biases, for LoRA, IA3 and bottleneck adapters each layer's adapter tensors
 * (the trained head first). Frozen tensors take no gradient, no weight decay and no AdamW step.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../util/errors';
import type { PretrainedTrain } from './config';
import { depthOf } from './param-groups';

export type Unfreeze = NonNullable<PretrainedTrain['unfreeze']>;

/** The period (0 = head only) of optimizer step `update` (0-based, counted over the whole run) in 1-based `epoch`. */
export function unfreezePeriod(u: Unfreeze, epoch: number, update: number): number {
  return Math.floor((u.unit === 'epoch' ? epoch - 1 : update) / u.every);
}

/**
 * The trainable tensors of a period: those at the period + 1 highest depths the trainable set
 * holds (a layer frozen by model.freeze is skipped, not waited for), so no period trains nothing.
 */
export function unfrozen(trainable: ReadonlyMap<string, tf.Variable>, layers: number, period: number): Map<string, tf.Variable> {
  const depths = [...new Set([...trainable.keys()].map((n) => depthOf(n, layers)))].sort((a, b) => b - a);
  const lowest = depths[Math.min(period, depths.length - 1)];
  return new Map([...trainable].filter(([name]) => depthOf(name, layers) >= lowest));
}

/** Refuses a schedule with nothing to unfreeze gradually: every trainable tensor at one depth. */
export function checkUnfreeze(trainable: ReadonlyMap<string, tf.Variable>, layers: number, method: string): void {
  const depths = new Set([...trainable.keys()].map((n) => depthOf(n, layers)));
  if (depths.size < 2)
    throw new ConfigError(
      `model.train.unfreeze: everything method '${method}' trains here sits at one depth (${[...depths].join(', ')}), so there is no layer to unfreeze gradually; remove model.train.unfreeze or train more layers (model.freeze)`,
    );
}
