/** model_type (config.json) -> the encoder implementation that computes it. */
import { bert } from './bert';
import { debertaV2 } from './deberta-v2';
import { distilbert } from './distilbert';
import { electra } from './electra';
import { roberta } from './roberta';
import type { EncoderArchitecture, HfConfig } from './types';

const ALL: EncoderArchitecture[] = [bert, distilbert, roberta, electra, debertaV2];

export const ARCHITECTURES: ReadonlyMap<string, EncoderArchitecture> = new Map(ALL.flatMap((a) => a.modelTypes.map((t) => [t, a] as const)));

/** The architecture for a config; throws naming the model_type and the supported ones. */
export function architectureFor(config: HfConfig): EncoderArchitecture {
  const arch = ARCHITECTURES.get(config.model_type);
  if (!arch) throw new Error(`model_type '${String(config.model_type)}' is not supported (supported: ${[...ARCHITECTURES.keys()].join(', ')})`);
  return arch;
}
