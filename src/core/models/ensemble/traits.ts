/** What the page may know about ensembles and cascades without loading their code. */
import type { ModelTraits } from '../spec';
import { CASCADE_KIND, ENSEMBLE_KIND } from './config';

export const ensembleTraits = {
  family: 'ensemble',
  types: [ENSEMBLE_KIND, CASCADE_KIND],
  // Explanations weight the members' own (where members can explain); `calibrate` fits a map on validation.
  capabilities: { explain: true, topFeatures: false, calibration: true, softTargets: false, gridSearch: false },
} as const satisfies ModelTraits;
