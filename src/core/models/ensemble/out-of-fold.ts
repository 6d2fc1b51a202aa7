/**
 * Out-of-fold probabilities for stacking: the member's config is re-fitted k times on the
 * training split, each time without one stratified fold, and predicts that fold. Every training
 * text is then scored by a model that never saw it, so a meta-learner fitted on these rows learns
 * how members generalise, not how well they remember. Costs k extra fits per member.
 */
import type { Example } from '../../data/types';
import { withPhase } from '../../guard/phase';
import { InputError } from '../../util/errors';
import { deriveSeed } from '../../util/random';
import type { Estimator, FitContext } from '../estimator';
import { splitFold, stratifiedFolds } from '../selection/folds';

export interface OutOfFoldOptions {
  classes: string[];
  signal?: AbortSignal;
  /** Called after each fold (for progress). */
  onFold?: (fold: number, k: number) => void;
  /** Context passed to each re-fit besides classes and seed (events, monitors). */
  fit?: Omit<FitContext, 'classes' | 'seed' | 'signal'>;
}

/** Row i is the probabilities for train[i] from the model fitted without its fold. */
export async function outOfFoldProbabilities(makeEstimator: () => Estimator, train: readonly Example[], k: number, seed: number, o: OutOfFoldOptions): Promise<Float32Array[]> {
  if (!(k >= 2) || k > train.length) throw new InputError(`Out-of-fold predictions need 2 <= k <= ${train.length} folds, got ${k}`);
  const fold = stratifiedFolds(
    train.map((e) => e.label),
    o.classes.length,
    k,
    seed,
  );
  const out = new Array<Float32Array>(train.length);
  for (let f = 0; f < k; f++) {
    const { fit, heldOut } = splitFold(fold, f);
    const est = makeEstimator();
    try {
      await withPhase('training', () =>
        est.fit(
          Array.from(fit, (i) => train[i]),
          { ...o.fit, classes: o.classes, seed: deriveSeed(seed, `oof-${f}`), signal: o.signal },
        ),
      );
      const probs = await est.predictProba(Array.from(heldOut, (i) => train[i].text));
      heldOut.forEach((i, r) => (out[i] = probs[r]));
    } finally {
      est.dispose();
    }
    o.onFold?.(f + 1, k);
  }
  return out;
}
