/**
 * The entry point's part of `tokenizer: "wordpiece"`: core reads no files, so a model config's
 * `vocabFile` (a BERT vocab.txt, relative to the working directory) is read here into `vocab`.
 */
import { readFileSync } from 'node:fs';
import { vocabFileToRead, withVocabText } from '../../core/models/neural/wordpiece';
import { InputError } from '../../core/util/errors';

export function withVocabFile<M extends object>(model: M): M {
  const file = vocabFileToRead(model);
  if (!file) return model;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`model.vocabFile ${file}: cannot read the vocabulary file`, { file });
  }
  return withVocabText(model, text);
}
