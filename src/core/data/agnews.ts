/**
 * The AG News folder layout (Zhang, Zhao & LeCun 2015): `classes.txt` (one name per line, line
 * order = label 1..N), header-less `train.csv` and optional `test.csv` with the columns
 * label, title, description. The source writes newlines inside text as the two characters
 * `\n`; they become spaces so tokenizers do not see a made-up "n" word.
 */
import type { SourceFile } from './request';
import { parseDelimited } from './csv';
import { baseName, decodeOrLog } from './table';
import type { Candidate, IssueLog } from './validate';

/** Label names of AG News (classes.txt order = labels 1..4), used when a file comes without classes.txt. */
export const AG_NEWS_CLASSES = ['World', 'Sports', 'Business', 'Sci/Tech'];

export const AGNEWS_FILES = { classes: 'classes.txt', train: 'train.csv', test: 'test.csv' } as const;

export interface AgNewsParsed {
  classes: string[];
  train: Candidate[];
  test: Candidate[];
  /** Names of the files as given, for messages. */
  files: { train: string; test?: string; classes: string };
}

const ESCAPED_NEWLINE = /\\n/g;
const LABEL = /^\d+$/;

/** Title and description joined by a space, escaped newlines turned to spaces, trimmed. */
export function agNewsText(title: string, description: string): string {
  return `${title} ${description}`.replace(ESCAPED_NEWLINE, ' ').trim();
}

/** Finds a file by base name, case-insensitively (folder uploads carry paths). */
export function findFile(files: SourceFile[], name: string): SourceFile | undefined {
  return files.find((f) => baseName(f.name).toLowerCase() === name);
}

export function parseClasses(file: SourceFile, log: IssueLog): string[] {
  const text = decodeOrLog(file, log);
  if (text === undefined) return [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  log.file(file.name, lines.length, file.bytes.length);
  const seen = new Map<string, number>();
  lines.forEach((name, k) => {
    if (name === '') log.error({ file: file.name, line: k + 1, message: 'empty class name (one name per line; line order = label 1..N)' });
    else if (seen.has(name)) log.error({ file: file.name, line: k + 1, message: `class "${name}" repeats line ${seen.get(name)}` });
    else seen.set(name, k + 1);
  });
  if (lines.length === 0) log.error({ file: file.name, message: 'no class names (expected one name per line)' });
  return lines;
}

/** Parses one header-less split file into candidates; every bad row is logged with its line. */
export function parseAgNewsSplit(file: SourceFile, classCount: number, classesName: string, log: IssueLog): Candidate[] {
  const text = decodeOrLog(file, log);
  if (text === undefined) {
    log.file(file.name, 0, file.bytes.length);
    return [];
  }
  const table = parseDelimited(text, ',');
  log.file(file.name, table.rows.length, file.bytes.length);
  // A TSV read as CSV fails on every row ("bad label", "1 column"): say what it is, once.
  const tabs = table.rows.slice(0, 20).filter((row) => row.length !== 3 && row.join(',').split('\t').length >= 3).length;
  if (tabs > 0 && tabs >= Math.min(20, table.rows.length) / 2) {
    log.error({
      file: file.name,
      line: table.lines[0],
      message: `${file.name} looks tab-separated, not comma-separated (its rows split into 3 fields on tabs): save it with commas, or name it .tsv`,
    });
    return [];
  }
  for (const e of table.errors) log.error({ file: file.name, line: e.line, message: e.message });
  const out: Candidate[] = [];
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r];
    const line = table.lines[r];
    if (row.length !== 3) {
      log.error({ file: file.name, line, message: `expected 3 columns (label, title, description), found ${row.length}` });
      continue;
    }
    const raw = row[0].trim();
    const value = LABEL.test(raw) ? Number(raw) : NaN;
    if (raw === '') {
      log.unknownLabels++;
      log.error({ file: file.name, line, field: 'label', message: 'label is missing (expected an integer 1..N)' });
      continue;
    }
    if (!(value >= 1 && value <= classCount)) {
      log.unknownLabels++;
      log.error({
        file: file.name,
        line,
        field: 'label',
        message: `label "${raw}" is not one of 1..${classCount} (${classesName} has ${classCount} classes)`,
      });
      continue;
    }
    const textValue = agNewsText(row[1], row[2]);
    if (textValue === '') {
      log.emptyTexts++;
      log.error({ file: file.name, line, field: 'text', message: 'empty text (title and description are both blank)' });
      continue;
    }
    out.push({ line, text: textValue, label: value - 1 });
  }
  return out;
}

/** Reads the AG News layout; missing required files are errors, a missing test.csv is not. */
export function parseAgNews(files: SourceFile[], log: IssueLog): AgNewsParsed {
  const classesFile = findFile(files, AGNEWS_FILES.classes);
  const trainFile = findFile(files, AGNEWS_FILES.train);
  const testFile = findFile(files, AGNEWS_FILES.test);
  const given = files.map((f) => f.name).join(', ') || 'none';
  for (const [name, file] of [
    [AGNEWS_FILES.classes, classesFile],
    [AGNEWS_FILES.train, trainFile],
  ] as const) {
    if (!file) log.error({ file: name, message: `required file ${name} is missing (files given: ${given})` });
  }
  const names = { train: trainFile?.name ?? AGNEWS_FILES.train, test: testFile?.name, classes: classesFile?.name ?? AGNEWS_FILES.classes };
  const classes = classesFile ? parseClasses(classesFile, log) : [];
  // Without class names the labels cannot be checked; report the missing file alone.
  if (classes.length === 0) return { classes, train: [], test: [], files: names };
  const train = trainFile ? parseAgNewsSplit(trainFile, classes.length, names.classes, log) : [];
  const test = testFile ? parseAgNewsSplit(testFile, classes.length, names.classes, log) : [];
  if (trainFile && train.length === 0 && log.errorCount === 0) {
    log.error({ file: names.train, message: 'no rows (expected "label","title","description" lines)' });
  }
  return { classes, train, test, files: names };
}
