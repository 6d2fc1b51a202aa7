import { describe, expect, it } from 'vitest';
import { parseJsonFile, parseJsonLines } from './jsonl';

describe('parseJsonLines', () => {
  it('reads one object per line, skipping blank lines, with CRLF', () => {
    const t = parseJsonLines('{"text":"a","label":1}\r\n\n{"text":"b\\nc","label":"x"}\n');
    expect(t.records).toEqual([
      { text: 'a', label: 1 },
      { text: 'b\nc', label: 'x' },
    ]);
    expect(t.lines).toEqual([1, 3]);
    expect(t.errors).toEqual([]);
  });

  it('reports bad JSON and non-objects with their lines', () => {
    const t = parseJsonLines('{"a":1}\n{"a":\n[1,2]\nnull\n{"a":2}');
    expect(t.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(t.errors[0].message).toMatch(/^not valid JSON/);
    expect(t.errors[1].message).toBe('expected a JSON object, found an array');
    expect(t.errors[2].message).toBe('expected a JSON object, found null');
    expect(t.lines).toEqual([1, 5]);
  });
});

describe('parseJsonFile', () => {
  it('reads an array of objects, positions as lines', () => {
    const t = parseJsonFile(' [{"t":"a"}, 3, {"t":"b"}]');
    expect(t.records).toEqual([{ t: 'a' }, { t: 'b' }]);
    expect(t.lines).toEqual([1, 3]);
    expect(t.errors).toEqual([{ line: 2, message: expect.stringContaining('expected a JSON object, found a number') }]);
  });

  it('falls back to JSON Lines', () => {
    expect(parseJsonFile('{"t":"a"}\n{"t":"b"}').records).toHaveLength(2);
  });
});
