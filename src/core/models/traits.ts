/**
 * Every family's light traits (family, capabilities, suggested grids), for code that must not load
 * model code: the page's thread. registry.ts holds the full specs; a new family adds a line to both.
 */
import { classicalTraits } from './classical/traits';
import { neuralTraits } from './neural/traits';
import { pretrainedTraits } from './pretrained/traits';
import { ensembleTraits } from './ensemble/traits';
import type { ModelCapabilities, ModelTraits } from './spec';
import type { ModelFamily } from './estimator';

export const MODEL_TRAITS: readonly ModelTraits[] = [classicalTraits, neuralTraits, pretrainedTraits, ensembleTraits];

/** The traits of a config type or artifact kind; undefined for one no family declares. */
export function traitsOf(type: string): ModelTraits | undefined {
  return MODEL_TRAITS.find((t) => t.types.includes(type));
}

const NONE: ModelCapabilities = { explain: false, topFeatures: false, calibration: false, softTargets: false, gridSearch: false };

/** What a model type can do; nothing for an unknown type. */
export function capabilitiesOf(type: string): ModelCapabilities {
  return traitsOf(type)?.capabilities ?? NONE;
}

/** The families' suggested search grid for a type, when it has one. */
export function suggestedGrid(type: string): Record<string, readonly unknown[]> | undefined {
  return traitsOf(type)?.suggestedGrid?.[type];
}

/** Families with something to show for `capability` (the page lists them in its hints). */
export function familiesWith(capability: keyof ModelCapabilities): ModelFamily[] {
  return [...new Set(MODEL_TRAITS.filter((t) => t.capabilities[capability]).map((t) => t.family))];
}
