/** Turns whatever the worker rejected with into something the page can show. */
import type { Issue, ValidationReport } from '../../core/data/types';
import type { ErrorData } from '../../core/util/errors';
import { errorText } from '../lab-client';

export const STORAGE_FULL = 'Browser storage is full: delete runs or datasets to free space, then try again.';

export interface ShownError {
  /** One line for the user. */
  text: string;
  name: string;
  /** Storage refused a write because the quota is used up. */
  quota: boolean;
  /** First validation errors, when the worker attached a report. */
  issues: Issue[];
  errorCount: number;
}

function isReport(x: unknown): x is ValidationReport {
  return !!x && typeof x === 'object' && Array.isArray((x as ValidationReport).errors);
}

export function toShownError(err: unknown): ShownError {
  const e = (err && typeof err === 'object' ? err : {}) as Partial<ErrorData>;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const details = e.details ?? {};
  const quota = name === 'StorageError' && details.quota === true;
  const report = isReport(details.report) ? details.report : undefined;
  const base = errorText(err);
  return {
    text: quota ? `${STORAGE_FULL} (${base})` : base,
    name,
    quota,
    issues: report ? report.errors.slice(0, 5) : [],
    errorCount: report ? Math.max(report.errorCount ?? 0, report.errors.length) : 0,
  };
}

export function isCancelled(err: unknown): boolean {
  const e = err as Partial<ErrorData> | undefined;
  return !!e && typeof e === 'object' && e.name === 'CancelledError';
}

export function issueText(i: Issue): string {
  const where = [i.file, i.line !== undefined ? `line ${i.line}` : '', i.field].filter(Boolean).join(', ');
  return where ? `${where}: ${i.message}` : i.message;
}
