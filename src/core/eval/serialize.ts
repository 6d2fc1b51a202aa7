/**
 * Deterministic text formats for results: RFC 4180 CSV (opens in any spreadsheet) and
 * canonical JSON (stable bytes for hashing configs, whatever order their keys were written in).
 */
import { sha256Hex } from '../util/hash';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF, with inner
 * quotes doubled. Missing and non-finite numbers become empty fields, not "NaN".
 */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header plus records, CRLF line breaks as RFC 4180 specifies, ending with a line break. */
export function toCsv(header: string[], records: CsvValue[][]): string {
  return [header, ...records].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * JSON with object keys sorted (by UTF-16 code unit) at every depth and no whitespace.
 * Undefined members are dropped and non-finite numbers become null, exactly as JSON.stringify
 * would, so canonical text parses back to the same value.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 of the canonical JSON of a config: equal configs hash equal, however they were written. */
export function configHash(config: unknown): Promise<string> {
  return sha256Hex(canonicalJson(config));
}
