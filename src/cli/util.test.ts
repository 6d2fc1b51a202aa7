import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateJsonKeys, readArgFile, readArgText } from './util';

describe('command-line file helpers', () => {
  it('finds keys repeated in one object, with their paths, and nothing else', () => {
    expect(duplicateJsonKeys('{"name":"a","model":{"type":"x"},"model":{"type":"y"}}')).toEqual(['model']);
    expect(duplicateJsonKeys('{"model":{"type":"x","dim":8,"dim":9},"train":[{"a":1},{"a":2}]}')).toEqual(['model.dim']);
    expect(duplicateJsonKeys('{"a":"{\\"a\\":1,\\"a\\":2}","b":{"a":1},"c":{"a":1}}')).toEqual([]);
  });

  it('says a folder is a folder and refuses invalid UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agnews-util-'));
    expect(() => readArgFile('--file', dir)).toThrow(/--file .*: it is a folder, not a file/);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.from([0x61, 0xff, 0x62, 0x0a]));
    expect(() => readArgText('--file', bad)).toThrow(/not valid UTF-8/);
  });
});
