/**
 * `tokenizer: "wordpiece"` in the page: a worker cannot read local paths, so there `vocabFile`
 * is a URL (e.g. a Hugging Face `resolve/main/vocab.txt`) fetched once when the run starts; the
 * trained model stores the vocabulary itself, so predictions and resumes need no second fetch.
 */
import { WordPiece } from '../models/neural/wordpiece';
import { ConfigError } from '../util/errors';

export async function withVocabUrl<M extends object>(model: M, fetchFn: typeof fetch | undefined): Promise<M> {
  const m = model as M & { tokenizer?: string; vocabFile?: string; vocab?: string[] };
  if (m.tokenizer !== 'wordpiece' || !m.vocabFile || m.vocab?.length || !/^https?:\/\//.test(m.vocabFile)) return model;
  if (!fetchFn) throw new ConfigError(`model.vocabFile ${m.vocabFile}: this runner cannot fetch URLs; give a local path instead`);
  let res: Response;
  try {
    res = await fetchFn(m.vocabFile);
  } catch (e) {
    throw new ConfigError(`model.vocabFile ${m.vocabFile}: download failed (${(e as Error).message})`);
  }
  if (!res.ok) throw new ConfigError(`model.vocabFile ${m.vocabFile}: download failed with HTTP ${res.status}`);
  return { ...m, vocab: WordPiece.fromVocabText(await res.text()).tokens };
}
