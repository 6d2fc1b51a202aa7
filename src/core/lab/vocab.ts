/**
 * `tokenizer: "wordpiece"`: the config's `vocabFile` (a BERT vocab.txt) is an asset reference,
 * resolved by the asset store when the run starts: an `hf:`/`https:` address is downloaded once
 * and cached, a bare path or `file:` is read where the platform can read files (the terminal).
 * The trained model stores the vocabulary itself, so predictions and resumes resolve nothing.
 */
import { vocabFileToRead, withVocabText } from '../models/neural/wordpiece';
import type { AssetStore } from '../storage/asset-store';
import { ConfigError } from '../util/errors';

/** A vocabFile without a scheme is a path on the machine running the lab. */
export const vocabRef = (vocabFile: string): string => (/^[a-z][a-z0-9+.-]*:/i.test(vocabFile) && !/^[a-z]:[\\/]/i.test(vocabFile) ? vocabFile : `file:${vocabFile}`);

export async function withVocab<M extends object>(model: M, assets: AssetStore): Promise<M> {
  const file = vocabFileToRead(model);
  if (!file) return model;
  let text: string;
  try {
    text = await assets.resolveText(vocabRef(file));
  } catch (e) {
    // The asset store's message starts with the URI; the config field names where it came from.
    throw new ConfigError(`model.vocabFile ${(e as Error).message}`);
  }
  return withVocabText(model, text);
}
