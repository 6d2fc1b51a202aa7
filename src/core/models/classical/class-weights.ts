/**
 * Class weights, scikit-learn style: 'balanced' gives class c the weight n / (K * n_c), so
 * every class contributes the same total weight; an explicit list gives one weight per class.
 * Every model applies them as per-example weights (the example's true class decides).
 */
import { ConfigError } from '../../util/errors';

export type ClassWeightOption = 'balanced' | number[] | null;

export function classWeights(labels: ArrayLike<number>, nClasses: number, option: ClassWeightOption): Float64Array {
  const w = new Float64Array(nClasses).fill(1);
  if (option === null) return w;
  if (option === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
    for (let c = 0; c < nClasses; c++) w[c] = counts[c] > 0 ? labels.length / (nClasses * counts[c]) : 0;
    return w;
  }
  if (option.length !== nClasses) throw new ConfigError(`classWeight has ${option.length} entries but there are ${nClasses} classes`);
  for (let c = 0; c < nClasses; c++) w[c] = option[c];
  return w;
}

/** Per-example weights from class weights. */
export function sampleWeights(labels: ArrayLike<number>, perClass: Float64Array): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = perClass[labels[i]];
  return out;
}
