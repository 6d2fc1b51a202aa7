/**
 * A labelled file scored outside any dataset (`agnews eval --file`), read by its extension:
 * `.csv` in the AG News layout (`label,title,description`, labels 1..N in the run's class
 * order); `.tsv`, `.jsonl`, `.json` and `.parquet` as tables with `text` and `label` columns
 * (labels as class names or numbers, as the import reads them). Every row is kept as it is (no
 * de-duplication, no split) and any bad row fails the whole file.
 */
import type { SourceFile } from './request';
import { parseAgNewsSplit } from './agnews';
import { ImportError } from './errors';
import { extractRows, labelScheme, resolveLabels } from './mapping';
import { readTable } from './table';
import type { Example } from './types';
import { IssueLog, type Candidate } from './validate';

export async function readLabelledFile(file: SourceFile, classes: string[]): Promise<Example[]> {
  const log = new IssueLog();
  const source = "the run's classes";
  let rows: Candidate[];
  if (/\.csv$/i.test(file.name)) rows = parseAgNewsSplit(file, classes.length, source, log);
  else {
    const table = await readTable(file, log);
    const raw = table ? extractRows(table, { text: ['text'], label: 'label' }, log) : [];
    rows = log.errorCount ? [] : resolveLabels(raw, labelScheme(raw, [], classes), file.name, source, log);
  }
  if (log.errorCount === 0 && rows.length === 0) log.error({ file: file.name, message: 'no data rows' });
  if (log.errorCount > 0) throw new ImportError(log.report({ train: [], validation: [], test: [] }));
  return rows.map((r) => ({ id: `${file.name}:${r.line}`, text: r.text, label: r.label }));
}
