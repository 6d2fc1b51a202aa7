/** What the page may know about the pretrained tier without loading TF.js or the encoders. */
import type { ModelTraits } from '../spec';

export const pretrainedTraits = {
  family: 'pretrained',
  types: ['pretrained'],
  // Gradient x input on the token embeddings. softTargets turns true when FitContext carries a
  // teacher's probabilities (the distillation tier); today fit() trains on hard labels only.
  capabilities: { explain: true, topFeatures: false, calibration: false, softTargets: false, gridSearch: false },
} as const satisfies ModelTraits;
