/**
 * BlobStore on IndexedDB (through `idb`): one record per path in one object store, so a commit
 * is one readwrite transaction: all records land or none. Appends go to numbered chunk records
 * (`path` + U+0001 + sequence) instead of rewriting a growing value on every step.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { BlobStore } from '../../core/storage/port';
import { StorageError } from '../../core/util/errors';

const STORE = 'files';
const CHUNK = '\u0001';

export class IdbStore implements BlobStore {
  private db: Promise<IDBPDatabase>;
  private seq = 0;
  /**
   * Bytes per record key, as this store wrote or last read them: the storage report reads only
   * records it has not seen, instead of every shard of every model on each refresh. The worker's
   * store is the only writer of its database.
   */
  private sized = new Map<string, number>();

  constructor(name = 'agnews-lab') {
    this.db = openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
      },
    });
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const db = await this.db;
    const tx = db.transaction(STORE, 'readonly');
    const base = (await tx.store.get(path)) as Uint8Array | undefined;
    const chunks = (await tx.store.getAll(IDBKeyRange.bound(path + CHUNK, path + CHUNK + '\uffff'))) as Uint8Array[];
    if (!base && chunks.length === 0) return undefined;
    if (chunks.length === 0) return base;
    const parts = base ? [base, ...chunks] : chunks;
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  async commit(writes: { path: string; bytes: Uint8Array }[]): Promise<void> {
    const db = await this.db;
    await guard(async () => {
      const tx = db.transaction(STORE, 'readwrite');
      try {
        for (const w of writes) {
          await tx.store.delete(IDBKeyRange.bound(w.path + CHUNK, w.path + CHUNK + '\uffff'));
          await tx.store.put(w.bytes, w.path);
        }
      } catch (e) {
        // A request that throws synchronously (DataCloneError) does not abort the transaction by itself.
        tx.abort();
        await tx.done.catch(() => undefined);
        throw e;
      }
      await tx.done;
    });
    for (const w of writes) {
      for (const k of this.sized.keys()) if (k.startsWith(w.path + CHUNK)) this.sized.delete(k);
      this.sized.set(w.path, w.bytes.byteLength);
    }
  }

  async append(path: string, bytes: Uint8Array): Promise<void> {
    const db = await this.db;
    const key = `${path}${CHUNK}${Date.now().toString(36).padStart(10, '0')}${(this.seq++).toString(36).padStart(6, '0')}`;
    await guard(() => db.put(STORE, bytes, key));
    this.sized.set(key, bytes.byteLength);
  }

  async list(prefix: string): Promise<string[]> {
    const db = await this.db;
    const keys = (await db.getAllKeys(STORE, IDBKeyRange.bound(prefix, prefix + '\uffff'))) as string[];
    return [...new Set(keys.map((k) => k.split(CHUNK)[0]))].sort();
  }

  async remove(prefix: string): Promise<void> {
    const db = await this.db;
    await db.delete(STORE, IDBKeyRange.bound(prefix, prefix + '\uffff'));
    for (const k of this.sized.keys()) if (k.startsWith(prefix)) this.sized.delete(k);
  }

  async sizes(prefix: string): Promise<{ path: string; bytes: number }[]> {
    const db = await this.db;
    const keys = (await db.getAllKeys(STORE, IDBKeyRange.bound(prefix, prefix + '\uffff'))) as string[];
    const bytes = new Map<string, number>();
    for (const key of keys) {
      let n = this.sized.get(key);
      if (n === undefined) {
        // One record at a time, so sizing a store of large shards holds one in memory.
        n = ((await db.get(STORE, key)) as Uint8Array | undefined)?.byteLength ?? 0;
        this.sized.set(key, n);
      }
      const path = key.split(CHUNK)[0];
      bytes.set(path, (bytes.get(path) ?? 0) + n);
    }
    return [...bytes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, n]) => ({ path, bytes: n }));
  }

  /**
   * `persist()` exists on the page's thread only (not in workers): there it asks; elsewhere the
   * current answer is reported, and the page asks for it itself.
   */
  async persist(): Promise<boolean | undefined> {
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (storage?.persist) return storage.persist();
    return storage?.persisted?.();
  }

  async persisted(): Promise<boolean | undefined> {
    return (globalThis.navigator as Navigator | undefined)?.storage?.persisted?.();
  }

  async estimate(): Promise<{ usage: number; quota: number } | undefined> {
    const e = await navigator.storage?.estimate?.();
    return e ? { usage: e.usage ?? 0, quota: e.quota ?? 0 } : undefined;
  }
}

/** IndexedDB failures as the lab's StorageError, with the quota case spelled out for the page. */
export function storageErrorFrom(e: unknown): unknown {
  const name = (e as DOMException)?.name;
  if (name === 'QuotaExceededError') return new StorageError('Browser storage is full: delete runs or datasets, or allow this site more storage.', true);
  if (name === 'AbortError' || name === 'UnknownError' || name === 'DataCloneError' || name === 'InvalidStateError')
    return new StorageError(`Storage write failed (${name}): ${(e as Error).message}`);
  return e;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw storageErrorFrom(e);
  }
}
