/**
 * A hand-written RFC 4180 reader for CSV and TSV. Hand-written because a 120k-row file must
 * import in well under a second and every record must carry the source line where it starts
 * (quoted fields may span lines), which generic parsers do not report.
 *
 * Accepted: quoted fields with doubled quotes, newlines inside quotes, LF or CRLF line ends,
 * a quote inside an unquoted field (kept literally, as spreadsheets write it). Blank lines are
 * skipped. Refused, with the record's line: text after a closing quote, an unterminated quote.
 * After a refused record the reader resumes at the next physical line, so one pass reports every
 * broken record of a file, not only the first.
 */

export interface DelimitedTable {
  rows: string[][];
  /** 1-based source line where each row starts (parallel to `rows`). */
  lines: number[];
  errors: { line: number; message: string }[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Counts `\n` in text[from, to), to advance the line counter over quoted newlines. */
function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  let k = text.indexOf('\n', from);
  while (k >= 0 && k < to) {
    count++;
    k = text.indexOf('\n', k + 1);
  }
  return count;
}

/** Index just past the end of the physical line containing `from` (for skipping a bad record). */
function skipLine(text: string, from: number): number {
  const k = text.indexOf('\n', from);
  return k < 0 ? text.length : k + 1;
}

export function parseDelimited(text: string, delimiter: ',' | '\t' = ','): DelimitedTable {
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  const rows: string[][] = [];
  const lines: number[] = [];
  const errors: { line: number; message: string }[] = [];
  let i = 0;
  let line = 1;

  while (i < n) {
    const first = text.charCodeAt(i);
    // Blank line: no record.
    if (first === LF) {
      i++;
      line++;
      continue;
    }
    if (first === CR && text.charCodeAt(i + 1) === LF) {
      i += 2;
      line++;
      continue;
    }

    const rowLine = line;
    const row: string[] = [];
    let bad: string | undefined;

    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const fieldStart = i;
        let value = '';
        let start = i + 1;
        let closed = false;
        for (;;) {
          const q = text.indexOf('"', start);
          if (q < 0) break;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(start, q + 1);
            start = q + 2;
            continue;
          }
          value += text.slice(start, q);
          i = q + 1;
          closed = true;
          break;
        }
        if (!closed) {
          // The quote runs to the end of the file: taking the rest as one field would hide every
          // later record's problems, so report it and carry on from the next line.
          errors.push({ line: rowLine, message: 'unterminated quoted field (a `"` opens a field that never closes)' });
          i = skipLine(text, fieldStart);
          line++;
          bad = 'unterminated';
          break;
        }
        line += countNewlines(text, fieldStart, i);
        row.push(value);
        const c = text.charCodeAt(i);
        if (c === delim) {
          i++;
          continue;
        }
        if (i >= n) break;
        if (c === LF) {
          i++;
          line++;
          break;
        }
        if (c === CR && text.charCodeAt(i + 1) === LF) {
          i += 2;
          line++;
          break;
        }
        bad = `unexpected text after a closing quote in field ${row.length} (quotes inside a field must be doubled)`;
        // Resynchronise at the next physical line; the record is reported, not guessed at.
        i = skipLine(text, i);
        line++;
        break;
      }

      // Unquoted field: runs to the next delimiter or line end.
      const start = i;
      let c = 0;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c === delim || c === LF) break;
        i++;
      }
      let end = i;
      if (c === LF && end > start && text.charCodeAt(end - 1) === CR) end--;
      row.push(text.slice(start, end));
      if (i >= n) break;
      if (c === delim) {
        // A delimiter at the very end still opens one last, empty field: the loop adds it.
        i++;
        continue;
      }
      i++;
      line++;
      break;
    }

    if (bad === undefined) {
      rows.push(row);
      lines.push(rowLine);
    } else if (bad !== 'unterminated') {
      errors.push({ line: rowLine, message: bad });
    }
  }
  return { rows, lines, errors };
}
