/**
 * An in-memory BlobStore for tests and throwaway sessions. It keeps the port's promises
 * exactly (all-or-nothing commit, sorted listing, prefix removal), and copies bytes in and
 * out so a caller mutating its buffer cannot change what was stored.
 */
import type { BlobStore } from './port';

export interface MemoryStoreOptions {
  /** Fails the next commit whose paths this returns true for (tests of all-or-nothing writes). */
  failCommit?: (paths: string[]) => boolean;
  /** Reported by estimate(). */
  quota?: number;
}

export interface MemoryStore extends BlobStore {
  estimate(): Promise<{ usage: number; quota: number }>;
  /** Every stored path, sorted (for tests). */
  paths(): string[];
  /** Overwrites one path directly, bypassing commit (for tests that simulate tampering). */
  poke(path: string, bytes: Uint8Array): void;
}

function checkPath(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`invalid store path "${path}"`);
  }
}

export function memoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  const files = new Map<string, Uint8Array>();
  return {
    async read(path) {
      const b = files.get(path);
      return b ? b.slice() : undefined;
    },
    async commit(writes) {
      // Validate everything before touching the map: a failure leaves every path as it was.
      for (const w of writes) checkPath(w.path);
      if (opts.failCommit?.(writes.map((w) => w.path))) throw new Error('commit failed (simulated)');
      const staged = writes.map((w) => [w.path, w.bytes.slice()] as const);
      for (const [path, bytes] of staged) files.set(path, bytes);
    },
    async append(path, bytes) {
      checkPath(path);
      const old = files.get(path);
      if (!old) {
        files.set(path, bytes.slice());
        return;
      }
      const joined = new Uint8Array(old.length + bytes.length);
      joined.set(old);
      joined.set(bytes, old.length);
      files.set(path, joined);
    },
    async list(prefix) {
      return [...files.keys()].filter((p) => p.startsWith(prefix)).sort();
    },
    async remove(prefix) {
      const dir = prefix.endsWith('/') ? prefix : `${prefix}/`;
      for (const p of [...files.keys()]) if (p === prefix || p.startsWith(dir)) files.delete(p);
    },
    async sizes(prefix) {
      return [...files.entries()]
        .filter(([p]) => p.startsWith(prefix))
        .map(([path, b]) => ({ path, bytes: b.length }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
    },
    async estimate() {
      let usage = 0;
      for (const b of files.values()) usage += b.length;
      return { usage, quota: opts.quota ?? Number.MAX_SAFE_INTEGER };
    },
    paths() {
      return [...files.keys()].sort();
    },
    poke(path, bytes) {
      files.set(path, bytes.slice());
    },
  };
}
