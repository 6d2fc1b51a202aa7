/**
 * JSON Lines (one object per line) and, for `.json` files that hold one array, a JSON array of
 * objects. A line that is not an object is an error with its line, never silently skipped:
 * a skipped row would change the dataset without the user knowing.
 */

export interface RecordTable {
  records: Record<string, unknown>[];
  /** 1-based source line (JSONL) or element position (JSON array) of each record. */
  lines: number[];
  /** Parse problems; `line` is absent when the whole file is unreadable. */
  errors: { line?: number; message: string }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** Shortens JSON.parse's message, which differs between engines, to its useful head. */
function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 120 ? `${msg.slice(0, 117)}...` : msg;
}

export function parseJsonLines(text: string): RecordTable {
  const records: Record<string, unknown>[] = [];
  const lines: number[] = [];
  const errors: RecordTable['errors'] = [];
  let start = 0;
  let line = 0;
  const n = text.length;
  while (start <= n) {
    line++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      errors.push({ line, message: `not valid JSON (${reason(err)})` });
      continue;
    }
    if (!isRecord(value)) {
      errors.push({ line, message: `expected a JSON object, found ${describe(value)}` });
      continue;
    }
    records.push(value);
    lines.push(line);
  }
  return { records, lines, errors };
}

/** `.json`: an array of objects, or JSON Lines under a `.json` name. */
export function parseJsonFile(text: string): RecordTable {
  const head = text.trimStart();
  if (!head.startsWith('[')) return parseJsonLines(text);
  let value: unknown;
  try {
    value = JSON.parse(head);
  } catch (err) {
    return { records: [], lines: [], errors: [{ line: 1, message: `not valid JSON (${reason(err)})` }] };
  }
  const records: Record<string, unknown>[] = [];
  const lines: number[] = [];
  const errors: RecordTable['errors'] = [];
  (value as unknown[]).forEach((v, k) => {
    if (isRecord(v)) {
      records.push(v);
      lines.push(k + 1);
    } else errors.push({ line: k + 1, message: `array element ${k + 1}: expected a JSON object, found ${describe(v)}` });
  });
  return { records, lines, errors };
}
