/**
 * `openBundle`: a run bundle (`agnews export --format bundle`: the run folder's JSON files and its
 * safetensors checkpoint) fetched by the page from a URL, kept as a run of this browser under its
 * own id so predict, explain and the route read it like any other run. Storing it is the honest
 * choice over a model held only in memory: the demo's every call then goes through the same code
 * as a run trained here. A bundle that is incomplete is refused before anything is written.
 */
import type { CheckpointPointer } from '../runs/checkpoint';
import { readFinishedRun } from '../runs/finished-run';
import type { RunMeta } from '../runs/run-folder';
import type { RunHome } from '../runs/run-home';
import { InputError } from '../util/errors';

export interface BundleFile {
  /** Relative to the bundle's folder: `run.json`, `checkpoints/model.safetensors`, ... */
  path: string;
  bytes: Uint8Array;
}

/** The files a bundle must hold before its checkpoint's own list is known. */
export const BUNDLE_FILES = ['run.json', 'config.json', 'result.json', 'checkpoints/model.json'] as const;

const RUN_ID = /^[\w.-]{1,200}$/;

function json<T>(files: Map<string, Uint8Array>, path: string, where: string): T {
  const bytes = files.get(path);
  if (!bytes) throw new InputError(`${where}: not a run bundle (${path} missing)`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    throw new InputError(`${where}: ${path} is not JSON`);
  }
}

/**
 * A bundle written by the terminal names its run by the folder's path; in this store a run id is
 * one path segment, so such a run is renamed after that folder and its result's hash (the same
 * bundle opened twice gets the same id).
 */
async function storedId(runId: string, result: Uint8Array): Promise<string> {
  if (RUN_ID.test(runId)) return runId;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', result as Uint8Array<ArrayBuffer>));
  const hash = Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  const base = (runId.split(/[\\/]/).filter(Boolean).pop() ?? 'run').replace(/[^\w.-]/g, '-').slice(0, 60);
  return `bundle-${base}-${hash}`;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Stores the bundle as a run and returns its id; the same bundle opened again is the run already there. */
export async function openBundleOf(runs: RunHome, files: BundleFile[], where = 'bundle'): Promise<string> {
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const meta = json<RunMeta>(byPath, 'run.json', where);
  if (typeof meta.runId !== 'string' || !meta.runId) throw new InputError(`${where}: run.json has no runId`);
  if (meta.status !== 'done') throw new InputError(`${where}: run ${meta.runId} is not finished (status "${String(meta.status)}")`);
  json<unknown>(byPath, 'config.json', where);
  json<unknown>(byPath, 'result.json', where);
  const pointer = json<CheckpointPointer>(byPath, 'checkpoints/model.json', where);
  if (!Array.isArray(pointer.files) || !pointer.files.length) throw new InputError(`${where}: checkpoints/model.json lists no checkpoint files`);
  for (const f of pointer.files) if (!byPath.has(`checkpoints/${f}`)) throw new InputError(`${where}: not a complete run bundle (checkpoints/${f} missing)`);

  const runId = await storedId(meta.runId, byPath.get('result.json')!);
  const run = runs.folder(runId);
  if (await run.meta()) {
    const stored = await run.store.read(run.prefix + 'result.json');
    if (stored && same(stored, byPath.get('result.json')!)) return runId;
    throw new InputError(`${where}: this browser already has a different run ${runId}; delete it on the Runs page to open this bundle`);
  }
  const renamed = runId === meta.runId ? undefined : new TextEncoder().encode(JSON.stringify({ ...meta, runId }, null, 2));
  await run.store.commit(files.map((f) => ({ path: run.prefix + f.path, bytes: f.path === 'run.json' && renamed ? renamed : f.bytes })));
  try {
    await readFinishedRun(run, `${where} (run ${runId})`);
  } catch (e) {
    await runs.remove(runId);
    throw e;
  }
  return runId;
}
