/**
 * The loop's position, saved in every 'latest' checkpoint so that a killed run continues from
 * the same batch with the same data order, RNG, optimizer moments and running sums.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifact, NamedTensor } from '../models/estimator';
import { InputError } from '../util/errors';

export interface TrainState {
  /** 1-based epoch and the index of the next batch in that epoch's order. */
  epoch: number;
  batch: number;
  /** Batches done since the start. */
  step: number;
  /** RNG state at the start of the epoch: the epoch's batch order is regenerated from it. */
  epochRng: number;
  /** Running sums of the epoch so far (loss x examples, correct answers, examples). */
  sums: { loss: number; correct: number; seen: number };
  /** Early stopping: best value so far, evaluations without improvement, step of the best. */
  best: number | undefined;
  bad: number;
  bestStep: number;
}

/**
 * Tensors a 'latest' checkpoint adds to the model's: the best weights so far (early stopping, a
 * monitor's halt) and a self-paced curriculum's scores of the current epoch, which ordered it.
 */
export function trainStateTensors(best: Float32Array[] | undefined, vars: tf.Variable[], curriculumScores?: Float32Array): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  best?.forEach((data, i) => (out[`best.${i}`] = { dtype: 'F32', shape: vars[i].shape, data }));
  if (curriculumScores) out['curriculum.scores'] = { dtype: 'F32', shape: [curriculumScores.length], data: curriculumScores };
  return out;
}

export function readTrainState(a: ModelArtifact, count: number): { state: TrainState; best?: Float32Array[]; curriculumScores?: Float32Array } {
  const state = a.meta.trainState as TrainState | undefined;
  if (!state) throw new InputError('This checkpoint has no training state: only a "latest" checkpoint can be resumed.');
  const best = a.tensors['best.0'] ? Array.from({ length: count }, (_, i) => a.tensors[`best.${i}`].data as Float32Array) : undefined;
  const scores = a.tensors['curriculum.scores']?.data as Float32Array | undefined;
  return { state: structuredClone(state), best, curriculumScores: scores && Float32Array.from(scores) };
}
