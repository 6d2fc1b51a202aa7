/**
 * Named errors. They cross the worker boundary as plain data (`ErrorData`) because structured
 * clone drops prototypes and custom fields of Error subclasses.
 */
export class LabError extends Error {
  override readonly name: string = 'LabError';
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Bad user input: a file, a row, a config field. `where` points at it (file, line, field). */
export class InputError extends LabError {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly where?: { file?: string; line?: number; field?: string },
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

export class ConfigError extends LabError {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message, { issues });
  }
}

/** Storage refused a write (quota, permissions, disk full). Nothing was changed. */
export class StorageError extends LabError {
  override readonly name = 'StorageError';
  constructor(
    message: string,
    readonly quota = false,
  ) {
    super(message, { quota });
  }
}

export class BackendError extends LabError {
  override readonly name: string = 'BackendError';
}

/**
 * The chosen backend lacks a kernel (or a kernel's gradient) the model needs, e.g. TF.js WASM
 * has no Conv2DBackpropFilter. Entry points catch it and fall back to the next backend, and say so.
 */
export class KernelMissingError extends BackendError {
  override readonly name = 'KernelMissingError';
  constructor(
    readonly kernel: string,
    readonly backend: string,
  ) {
    super(`The ${backend} backend has no '${kernel}' kernel, which this model needs`, { kernel, backend });
  }
}

/** Recognises TF.js's "Kernel 'X' not registered for backend 'Y'" and gradient-missing errors. */
export function missingKernel(e: unknown): KernelMissingError | undefined {
  if (e instanceof KernelMissingError) return e;
  const msg = String((e as Error)?.message ?? '');
  const m = msg.match(/Kernel '([^']+)' not registered for backend '([^']+)'/) ?? msg.match(/gradient function not found for (\w+)/);
  return m ? new KernelMissingError(m[1], m[2] ?? 'current') : undefined;
}

export class CancelledError extends LabError {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled by the user') {
    super(message);
  }
}

/** Access to a guarded split was refused. */
export class GuardError extends LabError {
  override readonly name = 'GuardError';
}

export class NotFoundError extends LabError {
  override readonly name = 'NotFoundError';
}

export interface ErrorData {
  name: string;
  message: string;
  where?: { file?: string; line?: number; field?: string };
  details?: Record<string, unknown>;
}

export function toErrorData(err: unknown): ErrorData {
  if (err instanceof InputError) return { name: err.name, message: err.message, where: err.where, details: err.details };
  if (err instanceof LabError) return { name: err.name, message: err.message, details: err.details };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Where an input error points, said once: "train.csv line 21, label". */
export function whereText(where?: { file?: string; line?: number; field?: string }): string {
  if (!where) return '';
  const place = [where.file, where.line !== undefined ? `line ${where.line}` : undefined].filter(Boolean).join(' ');
  return [place, where.field].filter(Boolean).join(', ');
}

/** The shape of an import's validation report, as far as a headline needs it. */
interface ReportLike {
  errors: { file?: string }[];
  errorCount?: number;
}

const isReportLike = (x: unknown): x is ReportLike => !!x && typeof x === 'object' && Array.isArray((x as ReportLike).errors);

/**
 * The one sentence a person reads first. No class names ("InputError:" means nothing to a
 * user); the location at most once; an import that failed validation is summarised ("train.csv
 * has 2 errors") because the list of its errors follows the headline.
 */
export function errorHeadline(err: ErrorData): string {
  const report = err.details?.report;
  if (isReportLike(report) && report.errors.length > 0) {
    const count = Math.max(report.errorCount ?? 0, report.errors.length);
    const files = [...new Set(report.errors.map((e) => e.file).filter((f): f is string => !!f))];
    const subject = files.length === 0 ? 'The data' : files.length === 1 ? files[0] : `${files.slice(0, -1).join(', ')} and ${files.at(-1)}`;
    return `${subject} ${files.length > 1 ? 'have' : 'has'} ${count} error${count === 1 ? '' : 's'}, so nothing was imported:`;
  }
  const message = err.message.trim() || 'Something went wrong';
  const where = whereText(err.where);
  // Messages that already name their file keep their own wording.
  const named = !where || (err.where?.file ? message.includes(err.where.file) : message.includes(where));
  const sentence = named ? message : `${message} (${where})`;
  return /[.!?:]$/.test(sentence) ? sentence : `${sentence}.`;
}
