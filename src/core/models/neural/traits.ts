/** What the page may know about the neural family without loading TF.js. */
import type { ModelTraits } from '../spec';

export const neuralTraits = {
  family: 'neural',
  types: ['fasttext', 'textcnn', 'transformer', 'bigru'],
  // Gradient x input on the token embeddings (attribution.ts); no calibration map, no named features.
  capabilities: { explain: true, topFeatures: false, calibration: false, softTargets: false, gridSearch: false },
} as const satisfies ModelTraits;
