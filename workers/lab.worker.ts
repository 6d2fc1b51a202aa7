/**
 * The lab worker: owns the tensor backend, IndexedDB and all long work, and exposes the lab
 * API to the page through Comlink. Errors cross as plain `ErrorData` objects: Comlink keeps
 * only name/message/stack of Error instances, which would drop a validation report.
 */
import * as Comlink from 'comlink';
import { createLab, type Lab } from '../src/core/lab/lab';
import type { PresetInfo } from '../src/core/lab/api';
import { toErrorData } from '../src/core/util/errors';
import { selectBrowserBackend } from '../src/platform/browser/backend';
import { browserDeviceInfo } from '../src/platform/browser/device-info';
import { IdbStore } from '../src/platform/browser/idb-store';

const files = import.meta.glob<{ name?: string; description?: string }>('../configs/*.json', { eager: true, import: 'default' });
const presets: PresetInfo[] = Object.entries(files)
  .map(([path, config]) => ({ name: config.name ?? path.replace(/^.*\/|\.json$/g, ''), description: config.description ?? '', config }))
  .sort((a, b) => (a.name.startsWith('quickstart') === b.name.startsWith('quickstart') ? a.name.localeCompare(b.name) : a.name.startsWith('quickstart') ? -1 : 1));

// Chromium's non-standard performance.memory is the only JS heap figure a worker can read.
const heapBytes = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
const lab = createLab({ store: new IdbStore(), selectBackend: selectBrowserBackend, fetch: globalThis.fetch.bind(globalThis), presets, heapBytes, deviceInfo: browserDeviceInfo });

function withPlainErrors(target: Lab): Lab {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(target)) {
    out[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        throw toErrorData(err);
      }
    };
  }
  return out as unknown as Lab;
}

Comlink.expose(withPlainErrors(lab));
