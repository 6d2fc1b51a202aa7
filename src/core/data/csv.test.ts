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

  it('reports an unterminated quote at the line where its record starts, then reads on from the next line', () => {
    const t = parseDelimited('"1","ok"\n"2","never\nclosed\n');
    expect(t.rows).toEqual([['1', 'ok'], ['closed']]);
    expect(t.lines).toEqual([1, 3]);
    expect(t.errors).toEqual([{ line: 2, message: expect.stringContaining('unterminated quoted field') }]);
  });

  it('reports every broken record of a file in one pass, with its line', () => {
    const t = parseDelimited('"1","a"\n"2","b"x\n"3","c"\n"4","d"y\n"5",e"f"g\n"6","h\nlast line\n');
    expect(t.errors).toEqual([
      { line: 2, message: expect.stringContaining('unexpected text after a closing quote') },
      { line: 4, message: expect.stringContaining('unexpected text after a closing quote') },
      { line: 6, message: expect.stringContaining('unterminated quoted field') },
    ]);
    expect(t.rows).toEqual([['1', 'a'], ['3', 'c'], ['5', 'e"f"g'], ['last line']]);
    expect(t.lines).toEqual([1, 3, 5, 7]);
  });

  it('parses TSV with the tab delimiter', () => {
    const t = parseDelimited('label\ttext\n1\t"a\tb"\n2\tc, d\n', '\t');
    expect(t.rows).toEqual([
      ['label', 'text'],
      ['1', 'a\tb'],
      ['2', 'c, d'],
    ]);
  });

  // Speed is measured by benchmarks, not asserted here: a loaded machine would fail a time limit.
  it('parses 120k rows and keeps every line number', () => {
    const line = '"3","A title with ""quotes""","A longer description, with commas, and words words words words words."\n';
    const text = line.repeat(120_000);
    const t = parseDelimited(text);
    expect(t.rows.length).toBe(120_000);
    expect(t.lines[119_999]).toBe(120_000);
    expect(t.rows[119_999]).toEqual(['3', 'A title with "quotes"', 'A longer description, with commas, and words words words words words.']);
  });
});
