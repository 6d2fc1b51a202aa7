/**
 * Exclusive sections on the storage port. Several runners can share one store (three
 * `agnews eval` processes on one dataset, two trainings into one folder), and a read, then a
 * decision, then a write is only safe when nobody else is between the read and the write.
 * A store that can lock across processes (a folder on disk: a lock file created exclusively)
 * implements `lock`; any other store (the page's IndexedDB, served by one worker) gets an
 * in-process queue per store and path, which is enough there.
 */
import type { BlobStore, StoreLock } from './port';
import { StorageError } from '../util/errors';

const queues = new WeakMap<BlobStore, Map<string, { done: Promise<void>; owner: string }>>();

async function inProcess(store: BlobStore, path: string, wait: boolean, owner: string): Promise<StoreLock> {
  let held = queues.get(store);
  if (!held) queues.set(store, (held = new Map()));
  const map = held;
  const current = map.get(path);
  if (!wait && current) throw new StorageError(`${path} is in use by ${current.owner}; wait for it to finish or stop it first`);
  while (map.has(path)) await map.get(path)!.done;
  let release!: () => void;
  map.set(path, { done: new Promise<void>((r) => (release = r)), owner });
  return {
    release: async () => {
      map.delete(path);
      release();
    },
  };
}

/** Takes the lock on `path` (waiting for it when `wait`, refusing with a StorageError otherwise). */
export function acquireLock(store: BlobStore, path: string, opts: { wait: boolean; owner: string }): Promise<StoreLock> {
  return store.lock ? store.lock(path, opts) : inProcess(store, path, opts.wait, opts.owner);
}

/** Runs `fn` holding the lock on `path`; the lock is released however `fn` ends. */
export async function withLock<T>(store: BlobStore, path: string, opts: { wait: boolean; owner: string }, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(store, path, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
