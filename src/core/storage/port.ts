/**
 * The storage port: a small file system of slash-separated paths holding bytes.
 * Two adapters implement it: IndexedDB in the browser (one record per path), and a folder on
 * disk in Node (one file per path). Everything above it (datasets, runs, checkpoints) is
 * written once in `src/core` on top of this port, so a run has the same shape in both homes.
 */
export interface BlobStore {
  read(path: string): Promise<Uint8Array | undefined>;
  /**
   * Writes all files or none: a failure (quota, crash) leaves every path as it was.
   * IndexedDB: one transaction. Node: temporary files renamed into place after all succeed.
   */
  commit(writes: { path: string; bytes: Uint8Array }[]): Promise<void>;
  /** Appends to a file, creating it (used for metrics.jsonl). */
  append(path: string, bytes: Uint8Array): Promise<void>;
  /** Paths under a prefix (`runs/abc/`), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes every path under the prefix (or the path itself). */
  remove(prefix: string): Promise<void>;
  /** Bytes used and available, when the platform can tell. */
  estimate?(): Promise<{ usage: number; quota: number } | undefined>;
  /**
   * An exclusive lock on `path` that other processes sharing the store respect (see lock.ts;
   * stores without it get an in-process lock). `wait`: queue for it, else refuse at once.
   */
  lock?(path: string, opts: { wait: boolean; owner: string }): Promise<StoreLock>;
  /**
   * Removes temporary files under the prefix left by writers that are gone (a killed process, a
   * full disk), which `list` never shows; returns how many. Stores that write in place lack it.
   */
  sweepTemporaries?(prefix: string): Promise<number>;
  /** Each path under the prefix with its size in bytes, sorted (storage accounting); without it, sizes are read. */
  sizes?(prefix: string): Promise<{ path: string; bytes: number }[]>;
  /**
   * Asks that the platform not evict the store under storage pressure (the page:
   * `navigator.storage.persist()`); the answer, or undefined where it cannot be asked or told.
   */
  persist?(): Promise<boolean | undefined>;
  /** Whether the store is persisted (undefined where the platform cannot tell). */
  persisted?(): Promise<boolean | undefined>;
}

export interface StoreLock {
  release(): Promise<void>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export const toBytes = (s: string): Uint8Array => enc.encode(s);
export const fromBytes = (b: Uint8Array): string => dec.decode(b);

export async function readJson<T>(store: BlobStore, path: string): Promise<T | undefined> {
  const b = await store.read(path);
  return b ? (JSON.parse(fromBytes(b)) as T) : undefined;
}

export function jsonFile(path: string, value: unknown): { path: string; bytes: Uint8Array } {
  return { path, bytes: toBytes(JSON.stringify(value, null, 2) + '\n') };
}
