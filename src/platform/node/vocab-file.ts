/**
 * The entry point's part of `tokenizer: "wordpiece"`: core reads no files, so a model config's
 * `vocabFile` (a BERT vocab.txt, relative to the working directory) is read here into `vocab`.
 */
import { readFileSync } from 'node:fs';
import { WordPiece } from '../../core/models/neural/wordpiece';
import { InputError } from '../../core/util/errors';

export function withVocabFile<M extends object>(model: M): M {
  const m = model as M & { tokenizer?: string; vocabFile?: string; vocab?: string[] };
  if (m.tokenizer !== 'wordpiece' || !m.vocabFile || m.vocab?.length) return model;
  let text: string;
  try {
    text = readFileSync(m.vocabFile, 'utf8');
  } catch {
    throw new InputError(`model.vocabFile ${m.vocabFile}: cannot read the vocabulary file`, { file: m.vocabFile });
  }
  return { ...m, vocab: WordPiece.fromVocabText(text).tokens };
}
