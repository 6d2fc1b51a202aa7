/**
 * Storage accounting from the store's real contents: every path with its size, grouped into
 * datasets (and their Hub download caches), runs, checkpoints (per run and slot) and cached
 * base models (downloads grouped by `hf:OWNER/NAME@COMMIT` through the record the asset store
 * keeps beside each file), the rest as 'other'. Each item keeps its paths, so deleting an item
 * removes exactly what was counted.
 */
import type { StorageItem, StorageKind, StorageReport } from '../lab/quota-api';
import { ASSET_CACHE, CACHED_ASSET_SUFFIX, type CachedAsset } from './asset-store';
import { fromBytes, type BlobStore } from './port';

/** A run kept outside the store (the terminal's run folders): its store and prefix. */
export interface RunLocation {
  runId: string;
  store: BlobStore;
  prefix: string;
}

export interface AccountingOptions {
  /** Runs that live outside `store` (the terminal's folders); the page's runs are under `runs/` in it. */
  runFolders?: RunLocation[];
  /** The run a job is writing now: neither it nor its checkpoints are offered for deletion. */
  activeRunId?: string;
  /** Base references a running job reads (`hf:OWNER/NAME[@REV]`): not offered for eviction. */
  basesInUse?: string[];
}

/** An item with where its bytes are, for deletion. */
export interface CountedItem extends StorageItem {
  paths: { store: BlobStore; path: string }[];
}

const SLOT = /^([A-Za-z]+)(?=[-.])/;
const HF_ASSET = /^hf:([\w.-]+\/[\w.-]+)@([^/]+)\//;

/** Each path under the prefix with its size: the store's own `sizes` where it has one, else read. */
export async function sizedPaths(store: BlobStore, prefix: string): Promise<{ path: string; bytes: number }[]> {
  if (store.sizes) return store.sizes(prefix);
  const out: { path: string; bytes: number }[] = [];
  for (const path of await store.list(prefix)) out.push({ path, bytes: (await store.read(path))?.length ?? 0 });
  return out;
}

async function readJsonAt<T>(store: BlobStore, path: string): Promise<T | undefined> {
  try {
    const b = await store.read(path);
    return b ? (JSON.parse(fromBytes(b)) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The report with each item's paths (deletion) kept. */
export async function countStorage(store: BlobStore, opts: AccountingOptions = {}): Promise<{ report: StorageReport; items: CountedItem[] }> {
  const items = new Map<string, CountedItem>();
  const add = (kind: StorageKind, id: string, label: string, deletable: boolean, at: { store: BlobStore; path: string }, bytes: number) => {
    const key = `${kind}\u0000${id}`;
    let item = items.get(key);
    if (!item) items.set(key, (item = { kind, id, label, bytes: 0, deletable, paths: [] }));
    item.bytes += bytes;
    item.paths.push(at);
    return item;
  };
  const sized = await sizedPaths(store, '');
  const refs = new Map<string, CachedAsset>();
  for (const { path } of sized)
    if (path.startsWith(ASSET_CACHE) && path.endsWith(CACHED_ASSET_SUFFIX)) {
      const about = await readJsonAt<CachedAsset>(store, path);
      if (about) refs.set(path.slice(0, -CACHED_ASSET_SUFFIX.length), about);
    }
  const runMeta = async (s: BlobStore, prefix: string) => readJsonAt<{ configName?: string; status?: string; updatedAt?: string }>(s, `${prefix}run.json`);
  const runFiles = async (runId: string, s: BlobStore, prefix: string, files: { path: string; bytes: number }[]) => {
    const meta = await runMeta(s, prefix);
    const active = runId === opts.activeRunId;
    for (const f of files) {
      const rel = f.path.slice(prefix.length);
      if (rel.startsWith('checkpoints/')) {
        const slot = SLOT.exec(rel.slice('checkpoints/'.length))?.[1] ?? 'other';
        // The finished model is the run itself: it goes with the run, not on its own.
        const item = add('checkpoint', `${runId}#${slot}`, `${runId}: ${slot} checkpoint`, !active && slot !== 'model', { store: s, path: f.path }, f.bytes);
        item.lastUsed = meta?.updatedAt;
      } else {
        const item = add('run', runId, `${runId}${meta?.configName ? ` (${meta.configName}, ${meta.status})` : ''}`, !active, { store: s, path: f.path }, f.bytes);
        item.lastUsed = meta?.updatedAt;
      }
    }
  };

  const byRun = new Map<string, { path: string; bytes: number }[]>();
  for (const f of sized) {
    const at = { store, path: f.path };
    const parts = f.path.split('/');
    if (parts[0] === 'runs' && parts.length > 2) {
      const list = byRun.get(parts[1]) ?? [];
      list.push(f);
      byRun.set(parts[1], list);
    } else if (parts[0] === 'datasets' && parts.length > 2) {
      add('dataset', parts[1], parts[1], true, at, f.bytes);
    } else if (f.path.startsWith(ASSET_CACHE)) {
      const key = f.path.endsWith(CACHED_ASSET_SUFFIX) ? f.path.slice(0, -CACHED_ASSET_SUFFIX.length) : f.path;
      const about = refs.get(key);
      const hf = about && HF_ASSET.exec(about.uri);
      if (hf) {
        const base = `hf:${hf[1]}@${hf[2]}`;
        const inUse = (opts.basesInUse ?? []).some((b) => b === base || b === `hf:${hf[1]}` || b.startsWith(`hf:${hf[1]}@`));
        const item = add('base-model', base, `${hf[1]} @ ${hf[2].slice(0, 12)}`, !inUse, at, f.bytes);
        if (!item.lastUsed || about.at > item.lastUsed) item.lastUsed = about.at;
      } else if (about) add('other', about.uri, `download ${about.uri}`, true, at, f.bytes).lastUsed ??= about.at;
      else add('other', 'cache/assets', 'downloads kept before storage accounting', true, at, f.bytes);
    } else if (parts[0] === 'cache' && parts[1] === 'hub' && parts.length > 3) {
      // Hub datasets download under cache/hub/OWNER/NAME/ (listings of model revisions are single files).
      const name = parts.length > 4 ? `${parts[2]}/${parts[3]}` : parts[2];
      add('dataset', `hf:${name}`, `${name} (Hub download cache)`, true, at, f.bytes);
    } else if (parts[0] === 'cache' && parts[1] === 'partial') {
      add('other', 'cache/partial', 'unfinished downloads (resumed with HTTP Range when asked again)', true, at, f.bytes);
    } else if (parts[0] === 'budget') {
      add('other', 'budget', 'compute budgets and usage ledger', false, at, f.bytes);
    } else {
      const top = parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
      add('other', top, top, false, at, f.bytes);
    }
  }
  for (const [runId, files] of byRun) await runFiles(runId, store, `runs/${runId}/`, files);
  for (const r of opts.runFolders ?? []) await runFiles(r.runId, r.store, r.prefix, await sizedPaths(r.store, r.prefix));
  for (const item of items.values())
    if (item.kind === 'dataset' && !item.id.startsWith('hf:')) {
      const meta = await readJsonAt<{ name?: string; createdAt?: string }>(store, `datasets/${item.id}/meta.json`);
      if (meta?.name) item.label = `${meta.name} (${item.id})`;
      item.lastUsed = meta?.createdAt;
    }

  const counted = [...items.values()].sort((a, b) => b.bytes - a.bytes);
  const byKind: Record<StorageKind, number> = { dataset: 0, run: 0, checkpoint: 0, 'base-model': 0, other: 0 };
  for (const i of counted) byKind[i.kind] += i.bytes;
  const estimate = await store.estimate?.().catch(() => undefined);
  const persisted = await store.persisted?.().catch(() => undefined);
  const report: StorageReport = {
    ...(estimate ? { usage: estimate.usage, quota: estimate.quota } : {}),
    ...(persisted !== undefined ? { persisted } : {}),
    byKind,
    items: counted.map(({ paths: _paths, ...item }) => item),
  };
  return { report, items: counted };
}

export async function storageReport(store: BlobStore, opts: AccountingOptions = {}): Promise<StorageReport> {
  return (await countStorage(store, opts)).report;
}

/** Cached base models that may go, oldest download first: the order eviction is offered in. */
export function evictionOrder(items: StorageItem[]): StorageItem[] {
  return items.filter((i) => i.kind === 'base-model' && i.deletable).sort((a, b) => (a.lastUsed ?? '').localeCompare(b.lastUsed ?? ''));
}

/** The largest items that may be deleted, biggest first. */
export function largestDeletable(items: StorageItem[], n = 5): StorageItem[] {
  return items
    .filter((i) => i.deletable)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, n);
}

/** Removes exactly the paths an item was counted from. */
export async function removeCounted(item: CountedItem): Promise<void> {
  for (const { store, path } of item.paths) await store.remove(path);
}

/** Bytes for people: "512 B", "3.4 kB", "48.2 MB", "1.95 GB" (decimal units, as browsers report quotas). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}
