/**
 * Applies a `ColumnMapping` to a parsed table: which columns make the text, which holds the
 * label, and whether a CSV/TSV starts with a header. Then turns raw label values into class
 * indices. Every refused row is logged with its file and line.
 */
import type { ColumnMapping } from './request';
import type { ParsedTable } from './table';
import type { Candidate, IssueLog } from './validate';

/** A row with its text assembled and its label still as written in the file. */
export interface RawRow {
  line: number;
  text: string;
  /** Trimmed label value; '' when missing. */
  label: string;
}

const INT = /^-?\d+$/;
const isInt = (s: string): boolean => INT.test(s);
const HEADER_SAMPLE = 200;

const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

const columnName = (c: string | number): string => (typeof c === 'number' ? `column ${c}` : `column "${c}"`);

/**
 * Whether the first CSV/TSV row is a header. Named columns imply one. With positional columns,
 * the first row is a header when its label cell looks unlike the label cells below it: a word
 * above integers, or a value that never recurs in a column of few distinct labels.
 */
export function detectHeader(rows: string[][], mapping: ColumnMapping): boolean {
  if ([...mapping.text, mapping.label].some((c) => typeof c === 'string')) return true;
  if (rows.length < 2 || typeof mapping.label !== 'number') return false;
  const first = (rows[0][mapping.label] ?? '').trim();
  if (isInt(first)) return false;
  const below = rows.slice(1, 1 + HEADER_SAMPLE).map((r) => (r[mapping.label as number] ?? '').trim());
  if (below.filter(isInt).length >= 0.9 * below.length) return true;
  const distinct = new Set(below);
  return !distinct.has(first) && distinct.size <= 50 && below.length >= 2;
}

/** Resolves mapping columns to positions (CSV/TSV) or keys (records); logs missing columns. */
function resolveColumns<K>(
  table: ParsedTable,
  mapping: ColumnMapping,
  lookup: (c: string | number) => K | undefined,
  available: string,
  log: IssueLog,
): { text: K[]; label: K } | undefined {
  let ok = true;
  const one = (c: string | number, role: string): K | undefined => {
    const k = lookup(c);
    if (k === undefined) {
      ok = false;
      log.error({ file: table.file, field: String(c), message: `${role} ${columnName(c)} named in the mapping is missing; ${available}` });
    }
    return k;
  };
  if (mapping.text.length === 0) {
    log.error({ file: table.file, field: 'text', message: 'the mapping names no text column' });
    return undefined;
  }
  const text = mapping.text.map((c) => one(c, 'text'));
  const label = one(mapping.label, 'label');
  return ok ? { text: text as K[], label: label as K } : undefined;
}

function checkRow(table: ParsedTable, line: number, text: string, label: string, log: IssueLog, out: RawRow[]): void {
  if (text === '') {
    log.emptyTexts++;
    log.error({ file: table.file, line, field: 'text', message: 'empty text (the text columns are blank)' });
    return;
  }
  out.push({ line, text, label });
}

/** Builds raw rows from a parsed table. */
export function extractRows(table: ParsedTable, mapping: ColumnMapping, log: IssueLog): RawRow[] {
  const out: RawRow[] = [];
  if (table.kind === 'delimited') {
    const { rows, lines } = table;
    if (rows.length === 0) return out;
    const header = mapping.header ?? detectHeader(rows, mapping);
    const width = rows[0].length;
    const names = header ? rows[0].map((h) => h.trim()) : undefined;
    const lookup = (c: string | number): number | undefined => {
      if (typeof c === 'number') return Number.isInteger(c) && c >= 0 && c < width ? c : undefined;
      if (!names) return undefined;
      const exact = names.indexOf(c);
      if (exact >= 0) return exact;
      const loose = names.findIndex((h) => h.toLowerCase() === c.trim().toLowerCase());
      return loose >= 0 ? loose : undefined;
    };
    const available = names
      ? `the header has ${names.map((h) => `"${h}"`).join(', ')}`
      : `the file has no header row (set header: true, or name columns by 0-based index; it has ${width} columns)`;
    const cols = resolveColumns(table, mapping, lookup, available, log);
    if (header) {
      const entry = log.files.find((f) => f.name === table.file);
      if (entry) entry.rows = Math.max(0, entry.rows - 1);
    }
    if (!cols) return out;
    for (let r = header ? 1 : 0; r < rows.length; r++) {
      const row = rows[r];
      if (row.length !== width) {
        log.error({ file: table.file, line: lines[r], message: `expected ${width} columns, found ${row.length}` });
        continue;
      }
      let text = row[cols.text[0]];
      for (let k = 1; k < cols.text.length; k++) text += ' ' + row[cols.text[k]];
      checkRow(table, lines[r], text.trim(), row[cols.label].trim(), log, out);
    }
    return out;
  }

  const { records, lines } = table;
  if (records.length === 0) return out;
  const keys = Object.keys(records[0]);
  const sample = records.slice(0, HEADER_SAMPLE);
  const lookup = (c: string | number): string | undefined => {
    if (typeof c === 'number') return keys[c];
    return sample.some((rec) => c in rec) ? c : undefined;
  };
  const cols = resolveColumns(table, mapping, lookup, `the fields are ${keys.map((k) => `"${k}"`).join(', ')}`, log);
  if (!cols) return out;
  for (let r = 0; r < records.length; r++) {
    const rec = records[r];
    const text = cols.text.map((k) => cellText(rec[k])).join(' ');
    checkRow(table, lines[r], text.trim(), cellText(rec[cols.label]).trim(), log, out);
  }
  return out;
}

/** How labels are read: by class name, or as integers from `base`. */
export interface LabelScheme {
  classes: string[];
  base: 0 | 1 | undefined;
}

/**
 * Decides the class list and integer base. Given classes: names match first, integers are
 * 0-based when the smallest integer label is 0, else 1-based. No classes: all-integer labels
 * give classes named by their numbers; otherwise the sorted distinct train labels.
 */
export function labelScheme(train: RawRow[], others: RawRow[], given: string[] | undefined): LabelScheme {
  const known = new Set(given ?? []);
  let min = Infinity;
  let max = -Infinity;
  let allInt = true;
  for (const set of [train, others]) {
    for (const r of set) {
      if (r.label === '' || known.has(r.label)) continue;
      if (!isInt(r.label)) {
        if (set === train) allInt = false;
        continue;
      }
      const v = Number(r.label);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const base: 0 | 1 = min === 0 ? 0 : 1;
  if (given) return { classes: [...given], base: min === Infinity ? undefined : base };
  if (allInt && min !== Infinity && min >= 0 && max - base < 1000) {
    const classes = Array.from({ length: max - base + 1 }, (_, k) => String(k + base));
    return { classes, base };
  }
  const names = [...new Set(train.map((r) => r.label).filter((l) => l !== ''))].sort();
  return { classes: names, base: undefined };
}

/** Maps raw labels to class indices; unknown or missing labels are errors with the line. */
export function resolveLabels(rows: RawRow[], scheme: LabelScheme, file: string, classSource: string, log: IssueLog): Candidate[] {
  const index = new Map(scheme.classes.map((c, k) => [c, k]));
  const n = scheme.classes.length;
  const out: Candidate[] = [];
  const listed = scheme.classes.length <= 10 ? scheme.classes.join(', ') : `${scheme.classes.slice(0, 10).join(', ')}, ...`;
  for (const r of rows) {
    if (r.label === '') {
      log.unknownLabels++;
      log.error({ file, line: r.line, field: 'label', message: 'label is missing' });
      continue;
    }
    let label = index.get(r.label);
    if (label === undefined && scheme.base !== undefined && isInt(r.label)) {
      const v = Number(r.label) - scheme.base;
      if (v >= 0 && v < n) label = v;
    }
    if (label === undefined) {
      log.unknownLabels++;
      const expected =
        scheme.base !== undefined && isInt(r.label)
          ? `one of ${scheme.base}..${n - 1 + scheme.base} (${classSource} has ${n} classes)`
          : `one of the classes (${listed}; from ${classSource})`;
      log.error({ file, line: r.line, field: 'label', message: `label "${r.label}" is not ${expected}` });
      continue;
    }
    out.push({ line: r.line, text: r.text, label });
  }
  return out;
}
