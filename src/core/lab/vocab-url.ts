/**
 * `tokenizer: "wordpiece"` in the page: a worker cannot read local paths, so there `vocabFile`
 * is a URL (e.g. a Hugging Face `resolve/main/vocab.txt`) fetched once when the run starts; the
 * trained model stores the vocabulary itself, so predictions and resumes need no second fetch.
 */
import { vocabFileToRead, withVocabText } from '../models/neural/wordpiece';
import { ConfigError } from '../util/errors';

export async function withVocabUrl<M extends object>(model: M, fetchFn: typeof fetch | undefined): Promise<M> {
  const url = vocabFileToRead(model);
  if (!url || !/^https?:\/\//.test(url)) return model;
  if (!fetchFn) throw new ConfigError(`model.vocabFile ${url}: this runner cannot fetch URLs; give a local path instead`);
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new ConfigError(`model.vocabFile ${url}: download failed (${(e as Error).message})`);
  }
  if (!res.ok) throw new ConfigError(`model.vocabFile ${url}: download failed with HTTP ${res.status}`);
  return withVocabText(model, await res.text());
}
