import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withVocabFile } from './vocab-file';

describe('withVocabFile', () => {
  it('reads a vocab.txt into model.vocab for wordpiece only, and names the file it cannot read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vocab-')), 'vocab.txt');
    writeFileSync(file, '[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n##s\n');
    expect((withVocabFile({ type: 'transformer', tokenizer: 'wordpiece', vocabFile: file }) as { vocab?: string[] }).vocab).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the', '##s']);
    const words = { type: 'transformer', tokenizer: 'words', vocabFile: file };
    expect(withVocabFile(words)).toBe(words);
    expect(() => withVocabFile({ tokenizer: 'wordpiece', vocabFile: join(file, 'nope') })).toThrow(/model\.vocabFile .*nope: cannot read/);
  });
});
