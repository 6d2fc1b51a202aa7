/**
 * Minimal reader for the AG News CSV layout (no header; quoted `label,title,description`,
 * inner quotes doubled). It exists for tests and benchmarks that need the shared files before
 * the full data importer; the importer (src/core/data) is the one users go through.
 */

export interface AgNewsRow {
  /** 0-based class index (the file stores 1..4). */
  label: number;
  /** `title + " " + description`, raw (normalisation is the vectorizer's job). */
  text: string;
}

/** Splits CSV text into records of fields (RFC 4180 quoting, \n or \r\n line ends). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field = '';
    if (text.charCodeAt(i) === 34 /* " */) {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      continue;
    }
    if (c === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    rows.push(row);
    row = [];
  }
  if (row.length) rows.push(row);
  return rows;
}

/** Rows of an AG News CSV; `limit` stops early (tests read a slice). */
export function parseAgNewsCsv(text: string, limit = Infinity): AgNewsRow[] {
  const out: AgNewsRow[] = [];
  for (const r of parseCsv(text)) {
    if (out.length >= limit) break;
    if (r.length < 3) continue;
    out.push({ label: Number(r[0]) - 1, text: `${r[1]} ${r[2]}`.replace(/\\n/g, ' ') });
  }
  return out;
}
