/**
 * Named errors. They cross the worker boundary as plain data (`ErrorData`) because structured
 * clone drops prototypes and custom fields of Error subclasses.
 */
export class LabError extends Error {
  override readonly name: string = 'LabError';
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

/** Bad user input: a file, a row, a config field. `where` points at it (file, line, field). */
export class InputError extends LabError {
  override readonly name = 'InputError';
  constructor(message: string, readonly where?: { file?: string; line?: number; field?: string }, details?: Record<string, unknown>) {
    super(message, details);
  }
}

export class ConfigError extends LabError {
  override readonly name = 'ConfigError';
  constructor(message: string, readonly issues: string[] = []) {
    super(message, { issues });
  }
}

/** Storage refused a write (quota, permissions, disk full). Nothing was changed. */
export class StorageError extends LabError {
  override readonly name = 'StorageError';
  constructor(message: string, readonly quota = false) {
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
