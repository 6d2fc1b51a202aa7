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

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Stores the bundle as a run and returns its id; the same bundle opened again is the run already there. */
export async function openBundleOf(runs: RunHome, files: BundleFile[], where = 'bundle'): Promise<string> {
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const meta = json<RunMeta>(byPath, 'run.json', where);
  if (typeof meta.runId !== 'string' || !RUN_ID.test(meta.runId)) throw new InputError(`${where}: run.json has no usable runId`);
  if (meta.status !== 'done') throw new InputError(`${where}: run ${meta.runId} is not finished (status "${String(meta.status)}")`);
  json<unknown>(byPath, 'config.json', where);
  json<unknown>(byPath, 'result.json', where);
  const pointer = json<CheckpointPointer>(byPath, 'checkpoints/model.json', where);
  if (!Array.isArray(pointer.files) || !pointer.files.length) throw new InputError(`${where}: checkpoints/model.json lists no checkpoint files`);
  for (const f of pointer.files) if (!byPath.has(`checkpoints/${f}`)) throw new InputError(`${where}: not a complete run bundle (checkpoints/${f} missing)`);

  const run = runs.folder(meta.runId);
  if (await run.meta()) {
    const stored = await run.store.read(run.prefix + 'result.json');
    if (stored && same(stored, byPath.get('result.json')!)) return meta.runId;
    throw new InputError(`${where}: this browser already has a different run ${meta.runId}; delete it on the Runs page to open this bundle`);
  }
  await run.store.commit(files.map((f) => ({ path: run.prefix + f.path, bytes: f.bytes })));
  try {
    await readFinishedRun(run, `${where} (run ${meta.runId})`);
  } catch (e) {
    await runs.remove(meta.runId);
    throw e;
  }
  return meta.runId;
}
