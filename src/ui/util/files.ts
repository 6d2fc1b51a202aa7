/** Sorting dropped files into an import: the AG News layout, or one table to map. */
import type { SourceFile } from '../../core/lab/api';

export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export interface TablePreview {
  format: TableFormat;
  /** Fields of the first row (CSV/TSV), keys of the first record (JSONL); empty for Parquet. */
  firstRow: string[];
  secondRow: string[];
  headerGuess: boolean;
  textGuess: string;
  labelGuess: string;
}

export type Dropped =
  { kind: 'agnews'; files: SourceFile[] } | { kind: 'table'; name: string; train: SourceFile; test?: SourceFile; preview: TablePreview } | { kind: 'unsupported'; reason: string };

const base = (name: string) => name.split(/[\\/]/).pop()!.toLowerCase();

export function formatOf(name: string): TableFormat | undefined {
  const n = base(name);
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.tsv') || n.endsWith('.tab')) return 'tsv';
  if (n.endsWith('.jsonl') || n.endsWith('.ndjson') || n.endsWith('.json')) return 'jsonl';
  if (n.endsWith('.parquet')) return 'parquet';
  return undefined;
}

export async function readFiles(files: File[]): Promise<SourceFile[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** Split one CSV/TSV line, honouring double quotes. */
export function splitLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const TEXT_NAMES = ['title', 'headline', 'description', 'text', 'sentence', 'content', 'body', 'document'];
const LABEL_NAMES = ['label', 'labels', 'category', 'class', 'topic', 'target', 'y'];
const isNum = (s: string) => /^-?\d+(\.\d+)?$/.test(s);

export function preview(file: SourceFile): TablePreview | undefined {
  const format = formatOf(file.name);
  if (!format) return undefined;
  if (format === 'parquet') return { format, firstRow: [], secondRow: [], headerGuess: true, textGuess: 'text', labelGuess: 'label' };
  const head = new TextDecoder().decode(file.bytes.subarray(0, 65536)).replace(/^\uFEFF/, '');
  const lines = head.split(/\r?\n/).filter((l) => l.trim());
  if (format === 'jsonl') {
    let keys: string[] = [];
    try {
      const rec = JSON.parse(lines[0] ?? '{}') as unknown;
      if (rec && typeof rec === 'object' && !Array.isArray(rec)) keys = Object.keys(rec);
    } catch {
      /* shown as no columns */
    }
    return { format, firstRow: keys, secondRow: [], headerGuess: true, ...guessMapping(keys, true) };
  }
  const sep = format === 'tsv' ? '\t' : ',';
  const firstRow = splitLine(lines[0] ?? '', sep);
  const secondRow = splitLine(lines[1] ?? '', sep);
  const lower = firstRow.map((f) => f.toLowerCase());
  const headerGuess = lower.some((f) => TEXT_NAMES.includes(f) || LABEL_NAMES.includes(f)) || (firstRow.every((f) => !isNum(f)) && secondRow.some((f) => isNum(f)));
  return { format, firstRow, secondRow, headerGuess, ...guessMapping(firstRow, headerGuess, secondRow) };
}

/** Default text and label columns: known names with a header, else the AG News shape (label first). */
export function guessMapping(cols: string[], header: boolean, sample: string[] = []): { textGuess: string; labelGuess: string } {
  if (header) {
    const lower = cols.map((c) => c.toLowerCase());
    const li = lower.findIndex((c) => LABEL_NAMES.includes(c));
    const label = li >= 0 ? cols[li] : (cols[cols.length - 1] ?? 'label');
    let text = cols.filter((c, i) => TEXT_NAMES.includes(lower[i]) && c !== label);
    if (!text.length) text = cols.filter((c) => c !== label);
    return { textGuess: text.join(', ') || 'text', labelGuess: label };
  }
  const n = cols.length;
  const firstNumeric = isNum(cols[0] ?? '') || isNum(sample[0] ?? '');
  const labelIdx = firstNumeric || n < 2 ? 0 : n - 1;
  const text = Array.from({ length: n }, (_, i) => i).filter((i) => i !== labelIdx);
  return { textGuess: text.join(', ') || '1', labelGuess: String(labelIdx) };
}

/** Parse a "Text columns" / "Label column" entry: numbers are 0-based indices for header-less files. */
export function parseColumns(input: string, header: boolean): (string | number)[] {
  return input
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (!header && /^\d+$/.test(s) ? Number(s) : s));
}

export function classify(files: SourceFile[]): Dropped {
  const byName = new Map(files.map((f) => [base(f.name), f]));
  if (byName.has('train.csv') && byName.has('classes.txt')) {
    const keep = files.filter((f) => ['train.csv', 'test.csv', 'classes.txt'].includes(base(f.name)));
    return { kind: 'agnews', files: keep };
  }
  const tables = files.filter((f) => formatOf(f.name));
  if (tables.length === 0) {
    return {
      kind: 'unsupported',
      reason: `No CSV, TSV, JSONL or Parquet file among: ${files.map((f) => f.name).join(', ')}. For AG News drop train.csv, test.csv and classes.txt together.`,
    };
  }
  if (tables.length > 2) {
    return { kind: 'unsupported', reason: 'Drop one table (or a train and a test table), or the AG News files train.csv + test.csv + classes.txt.' };
  }
  let train = tables[0];
  let test: SourceFile | undefined;
  if (tables.length === 2) {
    const ti = tables.findIndex((f) => /test/i.test(base(f.name)));
    if (ti < 0) return { kind: 'unsupported', reason: 'With two tables, one must be the test split (its name containing "test").' };
    test = tables[ti];
    train = tables[1 - ti];
  }
  const name =
    base(train.name)
      .replace(/\.[^.]+$/, '')
      .replace(/[-_.]?train$/, '') || 'dataset';
  return { kind: 'table', name, train, test, preview: preview(train)! };
}
