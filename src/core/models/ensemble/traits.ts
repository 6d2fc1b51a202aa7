/** What the page may know about ensembles without loading their code. */
import type { ModelTraits } from '../spec';
import { ENSEMBLE_KIND } from './config';

export const ensembleTraits = {
  family: 'ensemble',
  types: [ENSEMBLE_KIND],
  // Explanations weight the members' own (where members can explain); `calibrate` fits a map on validation.
  capabilities: { explain: true, topFeatures: false, calibration: true, softTargets: false, gridSearch: false },
} as const satisfies ModelTraits;
