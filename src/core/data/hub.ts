/**
 * Loads a Hugging Face Hub dataset stored as Parquet, using only plain file endpoints (no
 * dataset-viewer service): list `data/` in the repo tree, falling back to the Hub's
 * auto-converted Parquet listing, then download the train and test files. Downloads are
 * cached in the BlobStore so a second load works offline and makes no request at all.
 * The result is ready for a 'table' import.
 */
import type { ColumnMapping, SourceFile } from './request';
import type { BlobStore } from '../storage/port';
import { fromBytes, jsonFile } from '../storage/port';
import { InputError } from '../util/errors';
import { HubError } from './errors';
import type { ProgressFn } from './progress';

export const DEFAULT_HUB_URL = 'https://huggingface.co';
export const DEFAULT_HUB_DATASET = 'fancyzhx/ag_news';

export interface HubDeps {
  fetch: typeof fetch;
  cache?: BlobStore;
  baseUrl?: string;
  onProgress?: ProgressFn;
}

export interface HubDataset {
  train: SourceFile;
  test?: SourceFile;
  mapping: ColumnMapping;
  /** Class names in label order; undefined when the Hub does not say (then they are inferred). */
  classes?: string[];
}

const AG_NEWS = { classes: ['World', 'Sports', 'Business', 'Sci/Tech'], mapping: { text: ['text'], label: 'label' } };

/** Datasets whose label names are known here, so loading them needs no metadata request. */
export const KNOWN_HUB_DATASETS: Record<string, { classes: string[]; mapping: ColumnMapping }> = {
  'fancyzhx/ag_news': AG_NEWS,
  ag_news: AG_NEWS,
};

interface Manifest {
  train: string;
  test?: string;
  mapping: ColumnMapping;
  classes?: string[];
}

/** Where each split's file lives: a repo path (cache key) and the URL to download it from. */
interface Located {
  path: string;
  url: string;
}

const DATASET_NAME = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;
const cacheRoot = (dataset: string): string => `cache/hub/${dataset}/`;

async function request(deps: HubDeps, url: string): Promise<Response> {
  // Called unbound: browsers throw "Illegal invocation" when fetch runs with `this` = deps.
  const get = deps.fetch;
  let res: Response;
  try {
    res = await get(url);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HubError(`Cannot reach the Hugging Face Hub at ${url} (offline or blocked?): ${why}`, url);
  }
  return res;
}

function httpError(res: Response, url: string): HubError {
  const hint = res.status === 401 || res.status === 403 ? ' (private or gated dataset?)' : res.status === 404 ? ' (no such dataset or file?)' : '';
  return new HubError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${url}${hint}`, url, res.status);
}

async function getJson(deps: HubDeps, url: string): Promise<unknown> {
  const res = await request(deps, url);
  if (!res.ok) throw httpError(res, url);
  try {
    return await res.json();
  } catch {
    throw new HubError(`Unexpected answer from ${url}: not JSON`, url, res.status);
  }
}

/** Which split a Parquet path belongs to: `data/train-00000-of-00001.parquet`, `train/0.parquet`. */
function splitOf(path: string): 'train' | 'test' | undefined {
  const parts = path.toLowerCase().split('/');
  const base = parts[parts.length - 1];
  for (const split of ['train', 'test'] as const) {
    if (base.startsWith(`${split}-`) || base.startsWith(`${split}.`) || base.startsWith(`${split}_`) || parts.slice(0, -1).includes(split)) return split;
  }
  return undefined;
}

function chooseSplits(files: Located[], where: string): { train: Located; test?: Located } {
  const pickOne = (split: 'train' | 'test'): Located | undefined => {
    const found = files.filter((f) => splitOf(f.path) === split);
    if (found.length > 1) {
      throw new HubError(`The ${split} split is sharded into ${found.length} Parquet files at ${where}; only single-file splits are supported`, where);
    }
    return found[0];
  };
  const train = pickOne('train');
  if (!train) throw new HubError(`No train Parquet file found at ${where} (files: ${files.map((f) => f.path).join(', ') || 'none'})`, where);
  return { train, test: pickOne('test') };
}

/** Lists Parquet files under `data/`, or through the auto-converted listing when that is absent. */
async function locate(dataset: string, base: string, deps: HubDeps): Promise<{ train: Located; test?: Located }> {
  const treeUrl = `${base}/api/datasets/${dataset}/tree/main/data`;
  const res = await request(deps, treeUrl);
  if (res.ok) {
    const entries = await res.json().catch(() => {
      throw new HubError(`Unexpected answer from ${treeUrl}: not JSON`, treeUrl, res.status);
    });
    if (!Array.isArray(entries)) throw new HubError(`Unexpected answer from ${treeUrl}: expected a JSON array of files`, treeUrl, res.status);
    const files = (entries as { type?: string; path?: string }[])
      .filter((e) => e.type === 'file' && typeof e.path === 'string' && e.path.endsWith('.parquet'))
      .map((e) => ({ path: e.path as string, url: `${base}/datasets/${dataset}/resolve/main/${e.path as string}` }));
    return chooseSplits(files, treeUrl);
  }
  if (res.status !== 404) throw httpError(res, treeUrl);

  const listUrl = `${base}/api/datasets/${dataset}/parquet`;
  const listing = await getJson(deps, listUrl);
  // Shapes: { config: { split: [url] } }, or { split: [url] } for one config.
  const root = (listing ?? {}) as Record<string, unknown>;
  const configs = Object.keys(root);
  const first = root[configs.includes('default') ? 'default' : configs[0]];
  const bySplit = (Array.isArray(first) ? root : (first ?? {})) as Record<string, unknown>;
  const files: Located[] = [];
  for (const [split, urls] of Object.entries(bySplit)) {
    if (!Array.isArray(urls)) continue;
    urls.forEach((url, k) => {
      if (typeof url === 'string') files.push({ path: `parquet/${split}/${k}.parquet`, url });
    });
  }
  return chooseSplits(files, listUrl);
}

/** Reads ClassLabel names and string columns from the dataset card, when it has them. */
async function describe(dataset: string, base: string, deps: HubDeps): Promise<{ mapping: ColumnMapping; classes?: string[] }> {
  const known = KNOWN_HUB_DATASETS[dataset];
  if (known) return { mapping: known.mapping, classes: [...known.classes] };
  const fallback = { mapping: { text: ['text'], label: 'label' } };
  let info: unknown;
  try {
    info = await getJson(deps, `${base}/api/datasets/${dataset}`);
  } catch (err) {
    // The card is a nicety; labels can still be inferred. Only being offline is fatal, later.
    if (err instanceof HubError && err.status !== undefined) return fallback;
    throw err;
  }
  type Feature = { name?: string; dtype?: string; class_label?: { names?: Record<string, string> | string[] } };
  const card = (info as { cardData?: { dataset_info?: unknown } }).cardData?.dataset_info;
  const infos = (Array.isArray(card) ? card : [card]) as { features?: Feature[] }[];
  const features = infos.find((i) => Array.isArray(i?.features))?.features ?? [];
  const labelled = features.find((f) => f.class_label?.names && f.name);
  const strings = features.filter((f) => f.dtype === 'string' && f.name).map((f) => f.name as string);
  const text = strings.includes('text') ? ['text'] : strings.length > 0 ? strings : ['text'];
  if (!labelled) return { mapping: { text, label: 'label' } };
  const names = labelled.class_label!.names!;
  const classes = Array.isArray(names)
    ? names
    : Object.keys(names)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => names[k]);
  return { mapping: { text, label: labelled.name! }, classes };
}

async function download(deps: HubDeps, file: Located, step: string): Promise<Uint8Array> {
  const res = await request(deps, file.url);
  if (!res.ok) throw httpError(res, file.url);
  const total = Number(res.headers.get('content-length')) || 0;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    done += next.value.length;
    deps.onProgress?.({ message: `${step} ${file.path}`, done, total: Math.max(total, done) });
  }
  const out = new Uint8Array(done);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function fromCache(dataset: string, cache: BlobStore | undefined): Promise<HubDataset | undefined> {
  if (!cache) return undefined;
  const root = cacheRoot(dataset);
  const raw = await cache.read(`${root}manifest.json`);
  if (!raw) return undefined;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fromBytes(raw)) as Manifest;
  } catch {
    return undefined; // A damaged cache entry is a miss: download again.
  }
  const train = await cache.read(root + manifest.train);
  const test = manifest.test ? await cache.read(root + manifest.test) : undefined;
  if (!train || (manifest.test && !test)) return undefined;
  return {
    train: { name: manifest.train, bytes: train },
    test: manifest.test && test ? { name: manifest.test, bytes: test } : undefined,
    mapping: manifest.mapping,
    classes: manifest.classes,
  };
}

export async function loadHubDataset(dataset: string = DEFAULT_HUB_DATASET, deps: HubDeps): Promise<HubDataset> {
  if (!DATASET_NAME.test(dataset) || dataset.includes('..')) {
    throw new InputError(`"${dataset}" is not a Hub dataset name (expected owner/name, e.g. ${DEFAULT_HUB_DATASET})`, { field: 'dataset' });
  }
  const cached = await fromCache(dataset, deps.cache);
  if (cached) {
    deps.onProgress?.({ message: `Using cached ${dataset}`, done: 1, total: 1 });
    return cached;
  }
  const base = (deps.baseUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  deps.onProgress?.({ message: `Listing ${dataset} on the Hub`, done: 0, total: 1 });
  const where = await locate(dataset, base, deps);
  const { mapping, classes } = await describe(dataset, base, deps);
  const train = await download(deps, where.train, 'Downloading');
  const test = where.test ? await download(deps, where.test, 'Downloading') : undefined;
  if (deps.cache) {
    const root = cacheRoot(dataset);
    const manifest: Manifest = { train: where.train.path, test: where.test?.path, mapping, classes };
    const writes = [{ path: root + where.train.path, bytes: train }, jsonFile(`${root}manifest.json`, manifest)];
    if (where.test && test) writes.push({ path: root + where.test.path, bytes: test });
    await deps.cache.commit(writes);
  }
  return {
    train: { name: where.train.path, bytes: train },
    test: where.test && test ? { name: where.test.path, bytes: test } : undefined,
    mapping,
    classes,
  };
}
