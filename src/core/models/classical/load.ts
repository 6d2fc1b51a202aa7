/**
 * Rebuilds a fitted classical estimator from its artifact. Kept apart from artifact.ts so the
 * encoder (used by the estimator's save) does not import the estimator back.
 */
import type { ModelArtifact } from '../estimator';
import { ClassicalEstimator } from './classical-estimator';
import { decodeClassical } from './artifact';

export function loadClassical(artifact: ModelArtifact): ClassicalEstimator {
  const parts = decodeClassical(artifact);
  const e = new ClassicalEstimator(parts.config);
  e.vectorizer = parts.vectorizer;
  e.members = parts.members;
  e.classes = parts.classes;
  return e;
}
