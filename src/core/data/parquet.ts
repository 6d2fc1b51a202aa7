/**
 * Parquet through hyparquet (pure JS, works in browsers, workers and Node). Row numbers are
 * 1-based positions, used as the "line" of each record in issues and example ids.
 */
import { parquetReadObjects } from 'hyparquet';
import type { SourceFile } from './request';
import type { RecordTable } from './jsonl';

/** Copies the file's bytes into an ArrayBuffer of their own (a view may share a larger buffer). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** BigInt (INT64 columns) becomes a number when exact; labels and ids never need more. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  return v;
}

export async function parseParquet(file: SourceFile, columns?: string[]): Promise<RecordTable> {
  const buffer = ownBuffer(file.bytes);
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer, columns });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { records: [], lines: [], errors: [{ message: `not a readable Parquet file (${msg})` }] };
  }
  const records: Record<string, unknown>[] = new Array(rows.length);
  const lines: number[] = new Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(row)) out[key] = plain(row[key]);
    records[k] = out;
    lines[k] = k + 1;
  }
  return { records, lines, errors: [] };
}
