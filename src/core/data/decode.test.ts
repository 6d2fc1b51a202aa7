import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8 } from './decode';

const file = (bytes: number[] | Uint8Array) => ({ name: 'f.csv', bytes: bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes) });
const enc = (s: string) => new TextEncoder().encode(s);

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops a byte-order mark', () => {
    const r = decodeUtf8(file([0xef, 0xbb, 0xbf, ...enc('héllo, “wörld” 😀')]));
    expect(r).toEqual({ ok: true, text: 'héllo, “wörld” 😀' });
  });

  it('reports the 1-based line and offset of the first invalid byte', () => {
    const bytes = [...enc('line one\nline two\nbad '), 0xff, ...enc(' here\nline four')];
    const r = decodeUtf8(file(bytes));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.line).toBe(3);
    expect(r.offset).toBe(22);
    expect(r.message).toContain('0xFF');
  });

  it('reports Latin-1 text (a lone continuation-start byte) on its line', () => {
    const bytes = [...enc('"1","ok"\n"2","caf'), 0xe9, ...enc('"\n')];
    const r = decodeUtf8(file(bytes));
    expect(r.ok ? 0 : r.line).toBe(2);
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts valid multi-byte sequences', () => {
    expect(firstInvalidUtf8(enc('aé€😀z'))).toBe(-1);
  });
  it.each([
    ['overlong two-byte', [0x61, 0xc0, 0xaf], 1],
    ['overlong three-byte', [0xe0, 0x80, 0xaf], 0],
    ['surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated at end', [0x61, 0xe2, 0x82], 1],
    ['stray continuation', [0x61, 0x80], 1],
  ])('finds %s', (_name, bytes, at) => {
    expect(firstInvalidUtf8(new Uint8Array(bytes))).toBe(at);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes))).toThrow();
  });
});
