/**
 * Content fingerprints. `fingerprint` names the whole dataset (two imports of the same content
 * get the same id, whatever the import time); `testFingerprint` seals the test split so that
 * any change to test.jsonl after import is detected before scores are computed.
 *
 * Canonical form: per split, examples sorted by id (shorter ids first, so `train:9` precedes
 * `train:10` and already-ordered input sorts in linear time), one line each:
 * id TAB label TAB text-length TAB text. The length prefix makes tabs and newlines inside
 * texts unambiguous without JSON-quoting every text, which was the slow part on 120k rows.
 */
import { sha256Hex } from '../util/hash';
import type { Example } from './types';

const FORMAT = 'agnews-lab dataset v1';

export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * A growable UTF-8 buffer, sized up front from a hint: encoding straight into one buffer
 * avoids building a 30 MB string first, and the hint avoids regrowing (and copying) it.
 */
class ByteWriter {
  private buf: Uint8Array;
  private at = 0;
  private readonly enc = new TextEncoder();

  constructor(hint: number) {
    this.buf = new Uint8Array(Math.max(1024, hint));
  }

  write(s: string): void {
    let rest = s;
    for (;;) {
      const r = this.enc.encodeInto(rest, this.buf.subarray(this.at));
      this.at += r.written;
      if (r.read === rest.length) return;
      rest = rest.slice(r.read);
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + rest.length * 3));
      next.set(this.buf.subarray(0, this.at));
      this.buf = next;
    }
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

/** Bytes needed for ASCII content, plus slack; non-ASCII text grows the buffer once or twice. */
function sizeHint(...splits: Example[][]): number {
  let n = 256;
  for (const split of splits) for (const e of split) n += e.id.length + e.text.length + 16;
  return n;
}

function writeSplit(w: ByteWriter, name: string, examples: Example[]): void {
  const sorted = [...examples].sort((a, b) => compareIds(a.id, b.id));
  w.write(`${name}\t${sorted.length}\n`);
  for (const e of sorted) w.write(`${e.id}\t${e.label}\t${e.text.length}\t${e.text}\n`);
}

/** Hash of the test split alone; `readTestSplit` recomputes it from storage before any access. */
export async function testFingerprint(test: Example[]): Promise<string> {
  const w = new ByteWriter(sizeHint(test));
  w.write(`${FORMAT}\n`);
  writeSplit(w, 'test', test);
  return `sha256:${await sha256Hex(w.bytes())}`;
}

/** Hash of the class names and all three splits. */
export async function datasetFingerprint(parts: { classes: string[]; train: Example[]; validation: Example[]; test: Example[] }): Promise<string> {
  const w = new ByteWriter(sizeHint(parts.train, parts.validation, parts.test));
  w.write(`${FORMAT}\nclasses\t${JSON.stringify(parts.classes)}\n`);
  writeSplit(w, 'train', parts.train);
  writeSplit(w, 'validation', parts.validation);
  writeSplit(w, 'test', parts.test);
  return `sha256:${await sha256Hex(w.bytes())}`;
}

/** Short, stable dataset id: `ds-` and the first 12 hex digits of the fingerprint. */
export function datasetIdFrom(fingerprint: string): string {
  return `ds-${fingerprint.replace(/^sha256:/, '').slice(0, 12)}`;
}
