/**
 * Reads any supported table file into one of two shapes: positional rows (CSV/TSV) or keyed
 * records (JSONL/JSON/Parquet). The format comes from the file extension only: sniffing
 * content guesses wrong on small or odd files, and the user can always rename.
 * Parse problems go to the IssueLog with the file name and line.
 */
import type { SourceFile } from './request';
import { parseDelimited } from './csv';
import { decodeUtf8 } from './decode';
import { parseJsonFile, parseJsonLines } from './jsonl';
import { parseParquet } from './parquet';
import type { IssueLog } from './validate';

export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'parquet';

export type ParsedTable =
  { kind: 'delimited'; file: string; rows: string[][]; lines: number[] } | { kind: 'records'; file: string; records: Record<string, unknown>[]; lines: number[] };

const EXTENSIONS: [string, TableFormat][] = [
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.tab', 'tsv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.jsonlines', 'jsonl'],
  ['.json', 'json'],
  ['.parquet', 'parquet'],
  ['.pq', 'parquet'],
];

export const SUPPORTED_EXTENSIONS = EXTENSIONS.map(([ext]) => ext);

/** Base name of a path-like file name (folder uploads carry `ag_news/train.csv`). */
export function baseName(name: string): string {
  const k = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return k >= 0 ? name.slice(k + 1) : name;
}

export function formatOf(name: string): TableFormat | undefined {
  const lower = baseName(name).toLowerCase();
  for (const [ext, format] of EXTENSIONS) if (lower.endsWith(ext)) return format;
  return undefined;
}

/** Decodes UTF-8 strictly, logging the line of the first bad byte on failure. */
export function decodeOrLog(file: SourceFile, log: IssueLog): string | undefined {
  const decoded = decodeUtf8(file);
  if (decoded.ok) return decoded.text;
  log.error({ file: file.name, line: decoded.line, message: decoded.message });
  return undefined;
}

/**
 * Parses a file; returns undefined when it could not be read at all (unknown format, invalid
 * UTF-8, unreadable Parquet). Row-level problems are logged and the good rows still returned,
 * so one import reports as many problems as it can find.
 */
export async function readTable(file: SourceFile, log: IssueLog): Promise<ParsedTable | undefined> {
  const format = formatOf(file.name);
  if (!format) {
    log.error({
      file: file.name,
      message: `unknown file type; expected one of ${SUPPORTED_EXTENSIONS.join(' ')}`,
    });
    return undefined;
  }
  if (format === 'parquet') {
    const parsed = await parseParquet(file);
    for (const e of parsed.errors) log.error({ file: file.name, line: e.line, message: e.message });
    log.file(file.name, parsed.records.length, file.bytes.length);
    if (parsed.errors.length > 0 && parsed.records.length === 0) return undefined;
    return { kind: 'records', file: file.name, records: parsed.records, lines: parsed.lines };
  }
  const text = decodeOrLog(file, log);
  if (text === undefined) {
    log.file(file.name, 0, file.bytes.length);
    return undefined;
  }
  if (format === 'csv' || format === 'tsv') {
    const parsed = parseDelimited(text, format === 'tsv' ? '\t' : ',');
    for (const e of parsed.errors) log.error({ file: file.name, line: e.line, message: e.message });
    log.file(file.name, parsed.rows.length, file.bytes.length);
    return { kind: 'delimited', file: file.name, rows: parsed.rows, lines: parsed.lines };
  }
  const parsed = format === 'json' ? parseJsonFile(text) : parseJsonLines(text);
  for (const e of parsed.errors) log.error({ file: file.name, line: e.line, message: e.message });
  log.file(file.name, parsed.records.length, file.bytes.length);
  return { kind: 'records', file: file.name, records: parsed.records, lines: parsed.lines };
}
