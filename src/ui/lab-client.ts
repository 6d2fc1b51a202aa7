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
