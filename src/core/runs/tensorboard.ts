/**
 * TensorBoard event files, written by hand: a run's metric rows as `Event` protos (wall_time = 1,
 * step = 2, file_version = 3, summary = 5; `Summary.value` = 1 holding `Value { tag = 1,
 * simple_value = 2 }`, as in TensorBoard's event.proto and summary.proto) in TFRecord framing:
 * uint64 length, masked CRC32C of the length, the data, masked CRC32C of the data, all little-
 * endian. Append-only, so each flush of metrics.jsonl appends its records to the same file.
 */
import type { MetricRow } from '../experiment/result';

/** The first record of every event file: tells readers which proto the records hold. */
export const FILE_VERSION = 'brain.Event:2';

/** `tb/events.out.tfevents.<seconds>.agnews`, named from the run's start time as TensorBoard expects. */
export const eventFileName = (createdAt: string) => `tb/events.out.tfevents.${Math.floor(Date.parse(createdAt) / 1000)}.agnews`;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli), the checksum TFRecord uses. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masking: rotate right by 15 and add a constant, so CRCs of CRCs stay distinct. */
export const maskedCrc = (bytes: Uint8Array) => {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
};

/** One TFRecord frame around `data`. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc(data), true);
  return out;
}

/** Protobuf wire writer for the few field types events need. */
class Proto {
  private parts: number[] = [];
  private varint(v: number): void {
    // int64 steps stay below 2^53; division keeps them exact past 32 bits.
    while (v >= 0x80) {
      this.parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.parts.push(v);
  }
  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  double(field: number, v: number): this {
    this.key(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.parts.push(...b);
    return this;
  }
  float(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.parts.push(...b);
    return this;
  }
  int(field: number, v: number): this {
    this.key(field, 0);
    this.varint(v);
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.key(field, 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** The file_version event that opens a file. */
export const versionEvent = (wallTime: number) => new Proto().double(1, wallTime).string(3, FILE_VERSION).done();

/** One event holding scalar summaries at `step`. */
export function scalarEvent(wallTime: number, step: number, scalars: [tag: string, value: number][]): Uint8Array {
  const summary = new Proto();
  for (const [tag, value] of scalars) summary.bytes(1, new Proto().string(1, tag).float(2, value).done());
  return new Proto().double(1, wallTime).int(2, step).bytes(5, summary.done()).done();
}

/** TensorBoard tags for metric fields; step rows are the training curve, epoch rows add validation. */
const STEP_TAGS: Record<string, string> = { loss: 'train/loss', accuracy: 'train/accuracy', lr: 'lr', gradNorm: 'grad_norm', examplesPerSec: 'examples_per_s' };
const EPOCH_TAGS: Record<string, string> = {
  loss: 'epoch/train_loss',
  accuracy: 'epoch/train_accuracy',
  val_loss: 'val/loss',
  val_accuracy: 'val/accuracy',
  val_macroF1: 'val/macro_f1',
  examplesPerSec: 'epoch/examples_per_s',
  seconds: 'epoch/seconds',
};

/** The scalars of a metric row with their tags: finite numbers only (an imported model's NaN train loss is no point). */
export function rowScalars(row: MetricRow): [string, number][] {
  const tags = row.kind === 'epoch' ? EPOCH_TAGS : STEP_TAGS;
  return Object.entries(row)
    .filter((e): e is [string, number] => e[0] in tags && typeof e[1] === 'number' && Number.isFinite(e[1]))
    .map(([k, v]) => [tags[k], v]);
}

/** Framed records for `rows` (rows without scalars give none), preceded by the version record when `first`. */
export function eventRecords(rows: MetricRow[], wallTime: number, first: boolean): Uint8Array {
  const records = first ? [tfRecord(versionEvent(wallTime))] : [];
  for (const row of rows) {
    const scalars = rowScalars(row);
    if (scalars.length) records.push(tfRecord(scalarEvent(wallTime, row.step, scalars)));
  }
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}
