/**
 * A store that refuses a large write the quota cannot hold before it starts, naming what to
 * delete, so nothing half-written lands and the previous checkpoint stays as it was. Before the
 * first large write it asks the platform to persist the store (the page: an origin's storage is
 * otherwise "best effort" and may be evicted under pressure).
 */
import type { StorageItem } from '../lab/quota-api';
import { StorageError } from '../util/errors';
import { formatBytes, largestDeletable } from './accounting';
import { acquireLock } from './lock';
import type { BlobStore } from './port';

/** Writes from this size on are checked against the quota (and trigger the persistence request). */
export const LARGE_WRITE_BYTES = 1 << 20;

/** A write refused for want of space (a StorageError with `quota`); `details.candidates` lists the largest deletable items. */
export class QuotaError extends StorageError {
  constructor(
    message: string,
    readonly candidates: StorageItem[],
    readonly needed: number,
  ) {
    super(message, true);
    Object.assign(this.details!, { needed, candidates: candidates.map(({ kind, id, label, bytes }) => ({ kind, id, label, bytes })) });
  }
}

export interface QuotaGuardOptions {
  /** The store's items (storage accounting), read only when a write is refused. */
  items: () => Promise<StorageItem[]>;
  /** Told the persistence answer once, before the first large write. */
  onPersist?: (persisted: boolean | undefined) => void;
}

/** The refusal's message: how much, how full (where known), and the largest things that could go. */
export function quotaMessage(needed: number, room: { usage: number; quota: number } | undefined, candidates: StorageItem[]): string {
  const list = candidates.map((c) => `${c.kind} ${c.label} (${formatBytes(c.bytes)})`).join(', ');
  return (
    `Not enough storage: this write needs ${formatBytes(needed)}${room ? ` and ${formatBytes(room.usage)} of ${formatBytes(room.quota)} are in use` : ' and the storage refused it'}, so nothing was written (the previous checkpoint is intact). ` +
    (list
      ? `Free space by deleting the largest items: ${list} (Quota page, or agnews quota).`
      : 'Nothing stored here can be deleted: allow this site more storage, or use a smaller config.')
  );
}

export function quotaGuarded(store: BlobStore, opts: QuotaGuardOptions): BlobStore {
  let asked = false;
  const refusal = async (needed: number, room: { usage: number; quota: number } | undefined) => {
    const candidates = largestDeletable(await opts.items().catch(() => []));
    return new QuotaError(quotaMessage(needed, room, candidates), candidates, needed);
  };
  const guarded: BlobStore = {
    read: (p) => store.read(p),
    append: (p, b) => store.append(p, b),
    list: (p) => store.list(p),
    remove: (p) => store.remove(p),
    async commit(writes) {
      const needed = writes.reduce((n, w) => n + w.bytes.length, 0);
      if (needed >= LARGE_WRITE_BYTES) {
        if (!asked && store.persist) {
          asked = true;
          opts.onPersist?.(await store.persist().catch(() => undefined));
        }
        const e = await store.estimate?.().catch(() => undefined);
        if (e && e.quota > 0 && e.usage + needed > e.quota) throw await refusal(needed, e);
      }
      try {
        return await store.commit(writes);
      } catch (err) {
        // The platform's own refusal (IndexedDB's QuotaExceededError, a full disk) gets the same advice; the commit changed nothing.
        if (err instanceof StorageError && err.quota && !(err instanceof QuotaError)) throw await refusal(needed, await store.estimate?.().catch(() => undefined));
        throw err;
      }
    },
  };
  // Optional abilities pass through only where the store has them (callers test for them).
  if (store.estimate) guarded.estimate = () => store.estimate!();
  // Locks are the wrapped store's, in-process ones included: a lock taken on it directly holds here too.
  guarded.lock = (p, o) => acquireLock(store, p, o);
  if (store.sweepTemporaries) guarded.sweepTemporaries = (p) => store.sweepTemporaries!(p);
  if (store.sizes) guarded.sizes = (p) => store.sizes!(p);
  if (store.persist) guarded.persist = () => store.persist!();
  if (store.persisted) guarded.persisted = () => store.persisted!();
  return guarded;
}
