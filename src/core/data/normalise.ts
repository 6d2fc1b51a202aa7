/**
 * The text key used to find duplicates and train/test overlap: lowercase, punctuation and
 * symbols removed, whitespace collapsed to single spaces, trimmed. "U.S. stocks rise!" and
 * "us stocks rise" are the same story for leakage purposes.
 *
 * Written as one pass over UTF-16 code units because it runs on every row: the regex version
 * (`/[\p{P}\p{S}]+/gu`) was the slowest step of a 120k-row import, and building the result
 * with `+=` made ropes of dozens of pieces per text whose garbage collection cost seconds.
 */

const DROP = -1;
const SPACE = -2;

/** ASCII code unit -> lowercased code unit, DROP (punctuation/symbol) or SPACE. */
const ASCII = Int32Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  if (c < 32 || /\s/.test(ch)) return SPACE;
  if (/[\p{P}\p{S}]/u.test(ch)) return DROP;
  return ch.toLowerCase().charCodeAt(0);
});

/** Other code points, classified once with Unicode regexes: '' drop, ' ' space, else lowercased. */
const wide = new Map<number, string>();
function wideOf(cp: number): string {
  let v = wide.get(cp);
  if (v === undefined) {
    const ch = String.fromCodePoint(cp);
    v = /\s/u.test(ch) ? ' ' : /[\p{P}\p{S}]/u.test(ch) ? '' : ch.toLowerCase();
    wide.set(cp, v);
  }
  return v;
}

// Output goes to a reused buffer and is decoded once, producing a flat string.
let scratch = new Uint16Array(1024);
const utf16 = new TextDecoder('utf-16le');

export function normaliseText(text: string): string {
  const n = text.length;
  // Lowercasing can lengthen a character (U+0130 becomes two code units): leave room.
  if (scratch.length < n * 3) scratch = new Uint16Array(n * 3 + 16);
  const out = scratch;
  let len = 0;
  let space = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const m = ASCII[c];
      if (m >= 0) {
        if (space && len > 0) out[len++] = 32;
        space = false;
        out[len++] = m;
      } else if (m === SPACE) space = true;
      continue;
    }
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n;
    const mapped = wideOf(pair ? text.codePointAt(i)! : c);
    if (pair) i++;
    if (mapped === ' ') space = true;
    else if (mapped !== '') {
      if (space && len > 0) out[len++] = 32;
      space = false;
      for (let k = 0; k < mapped.length; k++) out[len++] = mapped.charCodeAt(k);
    }
  }
  return len === 0 ? '' : utf16.decode(out.subarray(0, len));
}
