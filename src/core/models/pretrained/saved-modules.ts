/**
 * PEFT's modules_to_save: a trainable copy of each weight of the named head modules, which the
 * forward pass reads instead of the frozen original (EncoderModel's `overrides`). LoRA and IA3
 * share it; the copy starts from the adapter file's tensor when it has one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';
import type { EncoderModel } from './model';
import { isSavedModule } from './peft-match';

export function copySavedModules(model: EncoderModel, modulesToSave: readonly string[], fromFile: Record<string, NamedTensor> = {}): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, v] of model.weights) {
    if (!isSavedModule(name, modulesToSave)) continue;
    const f = fromFile[name];
    out.set(name, trainableFrom(f ? tf.tensor(f.data, f.shape, 'float32') : tf.clone(v)));
  }
  return out;
}

/** A trainable variable holding t's data; t itself is released. */
export function trainableFrom(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}
