/**
 * Which stored items to delete to free a given amount: what can be fetched again goes first
 * (cached base models, oldest first, as the issue asks), then checkpoints, then whole runs,
 * then datasets, each oldest first. Items not offered for deletion (a running job's) never are.
 */
import type { StorageItem, StorageKind } from '../../../core/lab/quota-api';

const ORDER: StorageKind[] = ['base-model', 'other', 'checkpoint', 'run', 'dataset'];

export interface FreePlan {
  items: StorageItem[];
  bytes: number;
  /** Whether the deletable items add up to what was asked. */
  enough: boolean;
}

export function planFree(items: StorageItem[], want: number): FreePlan {
  const candidates = items
    .filter((i) => i.deletable && i.bytes > 0)
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.lastUsed ?? '').localeCompare(b.lastUsed ?? '') || b.bytes - a.bytes);
  const chosen: StorageItem[] = [];
  let bytes = 0;
  for (const item of candidates) {
    if (bytes >= want) break;
    chosen.push(item);
    bytes += item.bytes;
  }
  return { items: chosen, bytes, enough: bytes >= want };
}

export type SortKey = 'bytes' | 'label' | 'kind' | 'lastUsed';

/** The item table's order: by a column, largest/latest first for sizes and dates. */
export function sortItems(items: StorageItem[], key: SortKey, ascending: boolean): StorageItem[] {
  const cmp = (a: StorageItem, b: StorageItem): number =>
    key === 'bytes' ? a.bytes - b.bytes : key === 'lastUsed' ? (a.lastUsed ?? '').localeCompare(b.lastUsed ?? '') : a[key].localeCompare(b[key]) || a.id.localeCompare(b.id);
  return [...items].sort((a, b) => (ascending ? cmp(a, b) : cmp(b, a)));
}
