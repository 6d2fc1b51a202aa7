/**
 * The lab as the terminal runs it: the same `createLab` the page's worker serves, on Node's
 * ports. Datasets, their test-set guards and the Hub cache live in the runner's store under
 * the cache folder; each run lives in its own folder on disk; tensor backends come from Dawn
 * WebGPU, WASM or the CPU, started only for models that need one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PresetInfo } from '../../core/lab/api';
import type { BackendChoice } from '../../core/experiment/result';
import { createLab, type Lab } from '../../core/lab/lab';
import { readLocalFile } from './assets';
import { selectNodeBackend } from './backend';
import { cacheDir, requestFor } from './data-source';
import { nodeDeviceInfo } from './device-info';
import { FileStore } from './file-store';
import { runDirs } from './run-dirs';

/** The runner's own store: datasets, guards (budget, access log), leakage reports, Hub downloads. */
export function labStore(): FileStore {
  return new FileStore(join(cacheDir(), 'lab'));
}

/** The shipped presets (configs/*.json in the checkout), in the page's order: quickstarts first, then by name. */
function shippedPresets(): PresetInfo[] {
  const dir = fileURLToPath(new URL('../../../configs/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const config = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name?: string; description?: string };
      return { name: config.name ?? f.replace(/\.json$/, ''), description: config.description ?? '', config };
    })
    .sort((a, b) => (a.name.startsWith('quickstart') === b.name.startsWith('quickstart') ? a.name.localeCompare(b.name) : a.name.startsWith('quickstart') ? -1 : 1));
}

export function createNodeLab(opts: { backend?: BackendChoice } = {}): Lab {
  return createLab({
    store: labStore(),
    runs: runDirs(),
    selectBackend: selectNodeBackend,
    backend: opts.backend,
    fetch: globalThis.fetch,
    // The Hub's own variable for a mirror's address.
    hubUrl: process.env.HF_ENDPOINT,
    readFile: readLocalFile,
    presets: shippedPresets(),
    heapBytes: () => process.memoryUsage().heapUsed,
    caller: 'agnews',
    sourceRequest: (source) => requestFor(source),
    deviceInfo: () => nodeDeviceInfo(),
  });
}
