/**
 * Strict UTF-8 decoding. A file that is not UTF-8 (Latin-1 exports, truncated downloads) must
 * fail with the line that holds the first bad byte, not import as mojibake: the strict decoder
 * only says "invalid", so on failure we rescan the bytes ourselves to find where.
 */
import type { SourceFile } from './request';

const strict = new TextDecoder('utf-8', { fatal: true });

export type DecodeResult = { ok: true; text: string } | { ok: false; offset: number; line: number; message: string };

/** Decodes a whole file, dropping a leading byte-order mark. */
export function decodeUtf8(file: SourceFile): DecodeResult {
  try {
    const text = strict.decode(file.bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    const offset = firstInvalidUtf8(file.bytes);
    const at = offset < 0 ? 0 : offset;
    const line = lineAtOffset(file.bytes, at);
    const byte = file.bytes[at];
    const hex = byte === undefined ? 'end of file' : `byte 0x${byte.toString(16).padStart(2, '0').toUpperCase()}`;
    return { ok: false, offset: at, line, message: `invalid UTF-8 (${hex} at byte offset ${at}); save the file as UTF-8` };
  }
}

/** 1-based line of a byte offset: one more than the newlines before it. */
export function lineAtOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  const end = Math.min(offset, bytes.length);
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Offset of the first byte that starts an invalid sequence, or -1 when the bytes are valid.
 * Follows the WHATWG decoder's rules: no overlongs, no surrogates, nothing above U+10FFFF.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (d === undefined || d < min || d > max) return i;
    }
    i += need + 1;
  }
  return -1;
}
