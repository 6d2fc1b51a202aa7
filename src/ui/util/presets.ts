/**
 * The preset a new user trains first: TF-IDF + Naive Bayes in plain TypeScript, seconds on any
 * machine, GPU or not. The neural quickstarts are slower everywhere without a real GPU.
 */
export const DEFAULT_PRESET = 'quickstart-nb';

/** The preset the Train page shows: the one picked before if it still exists, else the fast default. */
export function pickPreset<P extends { name: string }>(presets: P[], picked: string | undefined): P | undefined {
  return presets.find((p) => p.name === picked) ?? presets.find((p) => p.name === DEFAULT_PRESET) ?? presets[0];
}
