import { describe, expect, it } from 'vitest';
import { normalizeText, tokenize, normalizeAndTokenize } from './normalize';
import { parseAgNewsCsv } from './agnews-csv';

describe('normalizeText', () => {
  it('repairs AG News entity artefacts', () => {
    expect(normalizeText('the nation #39;s seventh')).toBe("the nation's seventh");
    expect(normalizeText('What does  quot;blog quot; mean')).toBe('what does  "blog " mean');
    expect(normalizeText('JPMorgan Chase  amp; Co.')).toBe('jpmorgan chase  & co.');
    expect(normalizeText('raised #36;5 billion')).toBe('raised $5 billion');
    expect(normalizeText('a &lt;b&gt;bold&lt;/b&gt; move')).toBe('a  bold  move');
    expect(normalizeText('line one\\nline two')).toBe('line one line two');
    expect(normalizeText('war #151; peace')).toBe('war  -  peace');
  });
  it('leaves ordinary semicolons and words alone', () => {
    expect(normalizeText('Salt; pepper; result;')).toBe('salt; pepper; result;');
  });
  it('keeps the markup as written when clean is false', () => {
    expect(normalizeText('A &lt;b&gt;Bold&lt;/b&gt; #39;s quot;move quot;\\nnext', { clean: false })).toBe('a &lt;b&gt;bold&lt;/b&gt; #39;s quot;move quot; next');
  });
  it('can keep case', () => {
    expect(normalizeText('Reuters #39;s', { lowercase: false })).toBe("Reuters's");
  });
});

describe('tokenize', () => {
  it('splits on non letters/digits, keeps unicode letters', () => {
    expect(tokenize('über-café 2004, naïve résumé!')).toEqual(['über', 'café', '2004', 'naïve', 'résumé']);
    expect(tokenize('日本 test')).toEqual(['日本', 'test']);
  });
  it('drops short tokens when asked', () => {
    expect(normalizeAndTokenize("It's a U.S. win", 2)).toEqual(['it', 'win']);
  });
  it('handles empty text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ,;')).toEqual([]);
  });
});

describe('parseAgNewsCsv', () => {
  it('reads quoted rows with doubled quotes', () => {
    const rows = parseAgNewsCsv('"3","Title ""q""","Desc\\nmore"\n"1","","Only desc"\n');
    expect(rows).toEqual([
      { label: 2, text: 'Title "q" Desc more' },
      { label: 0, text: ' Only desc' },
    ]);
  });
});
