/**
 * Errors raised by the data layer. Both carry plain-data details so they survive the worker
 * boundary through `toErrorData`.
 */
import { InputError, LabError } from '../util/errors';
import type { Issue, ValidationReport } from './types';

/** Formats an issue the way users read it: `train.csv line 17: message`. */
export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.line !== undefined ? `line ${issue.line}` : undefined].filter(Boolean).join(' ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/**
 * The import found errors; nothing was stored. The message names the first error precisely;
 * the full report (all counts, the first 100 errors) rides along in `details.report`.
 */
export class ImportError extends InputError {
  readonly report: ValidationReport;
  constructor(report: ValidationReport) {
    const first = report.errors[0];
    const more = report.errorCount > 1 ? ` (and ${report.errorCount - 1} more error${report.errorCount > 2 ? 's' : ''})` : '';
    const head = first ? formatIssue(first) : 'the import failed validation';
    super(`${head}${more}`, first ? { file: first.file, line: first.line, field: first.field } : undefined, { report });
    this.report = report;
  }
}

/** A Hugging Face Hub request failed: offline, HTTP error, or an unexpected answer. */
export class HubError extends LabError {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message, { url, status });
  }
}
