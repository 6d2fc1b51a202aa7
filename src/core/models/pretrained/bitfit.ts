/**
 * BitFit (Ben Zaken et al. 2022): only the bias terms train (every linear and LayerNorm bias
 * of the encoder), plus the classification head in full. Nothing wraps `dense`: the trainable
 * set is the model's own bias variables, so there is nothing to merge afterwards.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '../estimator';
import type { EncoderModel } from './model';
import { isSavedModule } from './peft-match';
import { readTensors } from './read';

export function bitFitTrainable(model: EncoderModel, modulesToSave: readonly string[] = ['classifier', 'score']): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, v] of model.weights) if (name.endsWith('.bias') || isSavedModule(name, modulesToSave)) out.set(name, v);
  return out;
}

/** What a BitFit run changed (biases and head), to save beside the base checkpoint. */
export function bitFitTensors(model: EncoderModel, modulesToSave?: readonly string[]): Promise<Record<string, NamedTensor>> {
  return readTensors(bitFitTrainable(model, modulesToSave));
}
