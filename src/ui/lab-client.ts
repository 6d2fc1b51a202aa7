/**
 * The page's handle on the lab worker. All long work (import, training, prediction) runs there;
 * this thread only renders. Callbacks cross as Comlink proxies.
 */
import * as Comlink from 'comlink';
import type { LabApi, LabEvent } from '../core/lab/api';
import type { ErrorData } from '../core/util/errors';

let remote: Comlink.Remote<LabApi> | undefined;

export function lab(): Comlink.Remote<LabApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab' });
    remote = Comlink.wrap<LabApi>(worker);
  }
  return remote;
}

/** Wraps an event callback so it can be passed to the worker. */
export const listener = (fn: (e: LabEvent) => void) => Comlink.proxy(fn);

/** Errors arrive from the worker as plain `ErrorData`; older paths may still deliver an Error. */
export function errorText(err: unknown): string {
  const e = err as Partial<ErrorData> & { message?: string };
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    const where = e.where ? [e.where.file, e.where.line ? `line ${e.where.line}` : '', e.where.field].filter(Boolean).join(', ') : '';
    return `${e.name && e.name !== 'Error' ? e.name + ': ' : ''}${e.message}${where && !e.message.includes(where) ? ` (${where})` : ''}`;
  }
  return String(err);
}
