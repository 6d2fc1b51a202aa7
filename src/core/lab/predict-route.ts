/**
 * `predictRoute`: the lab's `predict` plus, for a cascade run, which of its stages answered each
 * text. The stage comes from the cascade's own routing as the served model watches it
 * (serve-model.ts), so the page shows the decision the cascade made, not a guess at it.
 */
import type { LoadEnv } from '../models/estimator';
import type { RunHome } from '../runs/run-home';
import { InputError } from '../util/errors';
import { openServedModel } from './serve-model';

export interface RoutedPrediction {
  classes: string[];
  /** One row per text, in the classes' order (as `predict`). */
  probs: number[][];
  /** The model's kind (`cascade`, `tfidf-logreg`, ...). */
  kind: string;
  /** A cascade's member runs, cheapest first; absent for any other model. */
  stages?: string[];
  /** For a cascade: the index into `stages` of the member that answered each text. */
  stage?: number[];
}

export async function predictRouteOf(runs: RunHome, startBackend: () => Promise<unknown>, env: LoadEnv, runId: string, texts: string[]): Promise<RoutedPrediction> {
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new InputError('predictRoute: texts must be a list of strings');
  const served = await openServedModel(runs, startBackend, env, runId);
  try {
    const { probs, stage } = await served.predict(texts);
    return { classes: served.classes, probs: probs.map((p) => Array.from(p)), kind: served.kind, stages: served.stages, stage };
  } finally {
    served.close();
  }
}
