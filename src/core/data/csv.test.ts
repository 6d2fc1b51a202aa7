import { describe, expect, it } from 'vitest';
import { parseDelimited } from './csv';

describe('parseDelimited', () => {
  it('reads plain and quoted fields with doubled quotes', () => {
    const t = parseDelimited('a,b,c\n"x, y","say ""hi""",z\n');
    expect(t.rows).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'z'],
    ]);
    expect(t.lines).toEqual([1, 2]);
    expect(t.errors).toEqual([]);
  });

  it('keeps newlines inside quotes and records where each record starts', () => {
    const t = parseDelimited('"1","two\nlines","x"\n"2","three\r\nline\nfield","y"\n"3","z","w"');
    expect(t.rows.map((r) => r[1])).toEqual(['two\nlines', 'three\r\nline\nfield', 'z']);
    expect(t.lines).toEqual([1, 3, 6]);
  });

  it('handles CRLF line ends and strips the CR from unquoted fields', () => {
    const t = parseDelimited('a,b\r\n"c",d\r\ne,"f"\r\n');
    expect(t.rows).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
    expect(t.lines).toEqual([1, 2, 3]);
  });

  it('skips blank lines but keeps counting them', () => {
    const t = parseDelimited('a,b\n\n\r\nc,d\n\n');
    expect(t.rows).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(t.lines).toEqual([1, 4]);
  });

  it('reads empty fields, a trailing delimiter and a missing final newline', () => {
    const t = parseDelimited(',x,\n"",,""\na,');
    expect(t.rows).toEqual([
      ['', 'x', ''],
      ['', '', ''],
      ['a', ''],
    ]);
  });

  it('keeps a quote inside an unquoted field literally', () => {
    expect(parseDelimited('5" screen,b\n').rows).toEqual([['5" screen', 'b']]);
  });

  it('reports text after a closing quote with the record line and resynchronises', () => {
    const t = parseDelimited('"1","ok"\n"2","bad"x,"y"\n"3","fine"\n');
    expect(t.errors).toEqual([{ line: 2, message: expect.stringContaining('unexpected text after a closing quote') }]);
    expect(t.rows).toEqual([
      ['1', 'ok'],
      ['3', 'fine'],
    ]);
    expect(t.lines).toEqual([1, 3]);
  });

  it('reports an unterminated quote at the line where its record starts', () => {
    const t = parseDelimited('"1","ok"\n"2","never\nclosed\n');
    expect(t.rows).toEqual([['1', 'ok']]);
    expect(t.errors).toEqual([{ line: 2, message: expect.stringContaining('unterminated quoted field') }]);
  });

  it('parses TSV with the tab delimiter', () => {
    const t = parseDelimited('label\ttext\n1\t"a\tb"\n2\tc, d\n', '\t');
    expect(t.rows).toEqual([
      ['label', 'text'],
      ['1', 'a\tb'],
      ['2', 'c, d'],
    ]);
  });

  it('parses 120k rows quickly', () => {
    const line = '"3","A title with ""quotes""","A longer description, with commas, and words words words words words."\n';
    const text = line.repeat(120_000);
    const t0 = performance.now();
    const t = parseDelimited(text);
    expect(t.rows.length).toBe(120_000);
    expect(t.lines[119_999]).toBe(120_000);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});
