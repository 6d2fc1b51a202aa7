/** What the page may know about the pretrained tier without loading TF.js or the encoders. */
import type { ModelTraits } from '../spec';

export const pretrainedTraits = {
  family: 'pretrained',
  types: ['pretrained'],
  // Gradient x input on the token embeddings. fit() hands FitContext.softTargets (a teacher's
  // probabilities) to the fine-tune loop, which mixes the distillation loss into each batch.
  capabilities: { explain: true, topFeatures: false, calibration: false, softTargets: true, gridSearch: false },
} as const satisfies ModelTraits;
