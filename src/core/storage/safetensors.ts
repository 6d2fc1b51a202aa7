/**
 * safetensors (the Hugging Face format): 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 * A checkpoint is the same bytes in IndexedDB and on disk.
 */
import type { NamedTensor } from '../models/estimator';
import { InputError } from '../util/errors';

export type SafeDtype = 'F32' | 'I32' | 'F16' | 'BF16' | 'I64';

export interface SafeTensor {
  dtype: SafeDtype;
  shape: number[];
  /** F16/BF16 are widened to F32 on read; I64 narrowed to I32. */
  data: Float32Array | Int32Array;
}

const BYTES: Record<SafeDtype, number> = { F32: 4, I32: 4, F16: 2, BF16: 2, I64: 8 };

export function encodeSafetensors(tensors: Record<string, NamedTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const n of names) {
    const t = tensors[n];
    const size = t.data.length * 4;
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new Error(`tensor ${n}: shape ${JSON.stringify(t.shape)} needs ${expected} values, has ${t.data.length}`);
    header[n] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  // The spec pads the header with spaces so the data starts 8-byte aligned.
  while ((8 + new TextEncoder().encode(json).length) % 8 !== 0) json += ' ';
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + offset);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const n of names) {
    const d = tensors[n].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), p);
    p += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, file = 'model.safetensors'): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new InputError(`${file}: too short to be a safetensors file (${bytes.length} bytes)`, { file });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n <= 0 || 8 + n > bytes.length) throw new InputError(`${file}: header length ${n} does not fit in ${bytes.length} bytes`, { file });
  type Entry = { dtype: SafeDtype; shape: number[]; data_offsets: [number, number] };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new InputError(`${file}: header is not valid JSON`, { file });
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw new InputError(`${file}: header is not a JSON object`, { file });
  const base = 8 + n;
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const h = entry as Entry;
    // A damaged header can still be JSON: check the shape of each entry before using it.
    const ints = (v: unknown, n?: number) => Array.isArray(v) && (n === undefined || v.length === n) && v.every((x) => Number.isSafeInteger(x) && x >= 0);
    if (!h || typeof h !== 'object' || !ints(h.shape) || !ints(h.data_offsets, 2))
      throw new InputError(`${file}: tensor ${name} has a damaged header entry (needs dtype, shape and data_offsets)`, { file, field: name });
    const [a, b] = h.data_offsets;
    const width = BYTES[h.dtype];
    if (!width) throw new InputError(`${file}: tensor ${name} has unsupported dtype ${h.dtype}`, { file, field: name });
    const count = h.shape.reduce((x, y) => x * y, 1);
    if (b - a !== count * width || base + b > bytes.length)
      throw new InputError(`${file}: tensor ${name} byte range [${a}, ${b}) does not match shape ${JSON.stringify(h.shape)}`, { file, field: name });
    // Copy: the source offset need not be aligned for a typed-array view. Node's Buffer.slice
    // returns a view of the whole file's buffer, so call Uint8Array's slice, which copies.
    const raw = Uint8Array.prototype.slice.call(bytes, base + a, base + b);
    const rv = new DataView(raw.buffer);
    let data: Float32Array | Int32Array;
    if (h.dtype === 'F32') data = new Float32Array(raw.buffer);
    else if (h.dtype === 'I32') data = new Int32Array(raw.buffer);
    else if (h.dtype === 'I64') {
      data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = Number(rv.getBigInt64(i * 8, true));
    } else {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = h.dtype === 'BF16' ? bf16(rv.getUint16(i * 2, true)) : f16(rv.getUint16(i * 2, true));
    }
    tensors[name] = { dtype: h.dtype === 'I64' || h.dtype === 'I32' ? 'I32' : 'F32', shape: h.shape, data };
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string> | undefined) ?? {} };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bf16(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}
function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}
