/**
 * The page's handle on the lab worker. All long work (import, training, prediction) runs there;
 * this thread only renders. Callbacks cross as Comlink proxies.
 */
import * as Comlink from 'comlink';
import type { LabApi, LabEvent } from '../core/lab/api';
import { DEFAULT_HUB_URL, storedHubUrl } from './components/pretrained/hub-url';

let remote: Comlink.Remote<LabApi> | undefined;

export function lab(): Comlink.Remote<LabApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab' });
    remote = Comlink.wrap<LabApi>(worker);
    // First message to a new worker, so every later call (a run's base reopened from the cache) reads the page's Hub.
    const hub = storedHubUrl();
    if (hub !== DEFAULT_HUB_URL) void remote.setHubUrl(hub).catch(() => undefined);
  }
  return remote;
}

/** Wraps an event callback so it can be passed to the worker. */
export const listener = (fn: (e: LabEvent) => void) => Comlink.proxy(fn);

let persisting: Promise<boolean | undefined> | undefined;

/**
 * Asks once per page that the origin's storage be kept under pressure, before the first large
 * write (an import, a run): `navigator.storage.persist()` exists on the page's thread only, so it
 * is asked here; where it does not exist the worker's store says whether storage is persisted.
 */
export function requestPersistOnce(): Promise<boolean | undefined> {
  persisting ??= (navigator.storage?.persist ? navigator.storage.persist() : lab().requestPersist()).catch(() => undefined);
  return persisting;
}
