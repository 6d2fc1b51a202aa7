/**
 * A labelled file scored outside any dataset (`agnews eval --file`): AG News CSV layout
 * (`label,title,description`, labels 1..N in the run's class order). Every row is kept as it
 * is (no de-duplication, no split) and any bad row fails the whole file.
 */
import type { SourceFile } from './request';
import { parseAgNewsSplit } from './agnews';
import { ImportError } from './errors';
import type { Example } from './types';
import { IssueLog } from './validate';

export function readLabelledFile(file: SourceFile, classes: string[]): Example[] {
  const log = new IssueLog();
  const rows = parseAgNewsSplit(file, classes.length, 'the run\'s classes', log);
  if (log.errorCount === 0 && rows.length === 0) log.error({ file: file.name, message: 'no data rows' });
  if (log.errorCount > 0) throw new ImportError(log.report({ train: [], validation: [], test: [] }));
  return rows.map((r) => ({ id: `${file.name}:${r.line}`, text: r.text, label: r.label }));
}
