/** Turns whatever the worker rejected with into something the page can show. */
import type { Issue, ValidationReport } from '../../core/data/types';
import { errorHeadline, type ErrorData } from '../../core/util/errors';
import { formatIssue } from '../../core/data/errors';

export const STORAGE_FULL = 'Browser storage is full: delete runs or datasets to free space, then try again.';

export interface ShownError {
  /** One line for the user. */
  text: string;
  name: string;
  /** Storage refused a write because the quota is used up. */
  quota: boolean;
  /** First validation errors (an import's report) or config issues, listed under the text. */
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
  const configIssues = Array.isArray(details.issues) ? details.issues.filter((i): i is string => typeof i === 'string').map((message) => ({ message })) : [];
  const base = typeof e.message === 'string' ? errorHeadline({ name, message: e.message, where: e.where, details }) : err instanceof Error ? err.message : String(err);
  const issues = report ? report.errors.slice(0, MAX_ISSUES) : configIssues.slice(0, MAX_ISSUES);
  return {
    text: quota ? `${STORAGE_FULL} (${base})` : base,
    name,
    quota,
    issues,
    errorCount: report ? Math.max(report.errorCount ?? 0, report.errors.length) : configIssues.length,
  };
}

/** How many of a report's errors the alert lists; the count says how many more there are. */
const MAX_ISSUES = 10;

export function isCancelled(err: unknown): boolean {
  const e = err as Partial<ErrorData> | undefined;
  return !!e && typeof e === 'object' && e.name === 'CancelledError';
}

/** "train.csv line 21: label "9" is not one of 1..4": the way the import words its errors. */
export const issueText = (i: Issue): string => formatIssue(i);
