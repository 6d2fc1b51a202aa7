/**
 * A Hub checkpoint as a set of files. `hf:OWNER/NAME[@REV]` is resolved once through the Hub's
 * revision API (`GET {hub}/api/models/{repo}/revision/{rev}?blobs=true`, as huggingface_hub's
 * `model_info(files_metadata=True)` asks it) to the commit the revision points at and the files
 * it holds; the files a checkpoint needs come back as references pinned to that commit, with the
 * sizes and LFS sha256 the Hub lists, so the asset store caches each file once per commit and
 * refuses a truncated or swapped one. `resumableFetch` lets a broken-off download continue with
 * an HTTP Range request from the bytes already kept.
 */
import { sha256Hex } from '../../util/hash';
import { AssetError, currentHubUrl, type AssetProgress, type AssetStore, type HubUrl } from '../../storage/asset-store';
import type { AssetRef } from '../../storage/artifact-ref';
import type { BlobStore } from '../../storage/port';
import type { BaseModelSource } from './base-source';

/** One sibling of the revision API's answer; `size` and `lfs` only with `?blobs=true`. */
interface HubSibling {
  rfilename: string;
  size?: number;
  lfs?: { sha256: string; size: number };
}

interface HubRevision {
  /** The commit the revision resolves to. */
  sha: string;
  siblings: HubSibling[];
}

export interface HubCheckpointFiles {
  /** `OWNER/NAME`. */
  id: string;
  /** The revision asked for (branch, tag or commit); 'main' when none was given. */
  revision: string;
  /** The commit it resolved to: every reference below is pinned to it. */
  commit: string;
  /** File name in the repository → reference, in download order. */
  files: Map<string, AssetRef>;
  /** Sum of the sizes the Hub lists for the chosen files. */
  totalBytes: number;
}

export interface HubDeps {
  fetch?: typeof fetch;
  /** Read at each resolution, so the page's setting applies to the next download. */
  hubUrl?: HubUrl;
  /** Keeps the revision listing, so a pinned commit (or any revision, offline) resolves without the network. */
  store: BlobStore;
}

const HUB_ID = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w.\-/%]+))?$/;
const COMMIT = /^[0-9a-f]{40}$/;

const CONFIG = 'config.json';
const WEIGHTS = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';
const TOKENIZER = ['tokenizer.json', 'tokenizer_config.json'];

export function parseHubId(base: string): { id: string; revision: string } {
  const m = HUB_ID.exec(base);
  if (!m) throw new AssetError(`${base}: expected hf:OWNER/NAME[@REV]`);
  return { id: m[1], revision: m[2] ? decodeURIComponent(m[2]) : 'main' };
}

const listingPath = async (hubUrl: string, id: string, revision: string) => `cache/hub/${await sha256Hex(`${hubUrl}|${id}|${revision}`)}.json`;

/** The revision's commit and files: from the cache for a commit id, else from the Hub (the cache when it cannot be reached). */
async function revisionInfo(id: string, revision: string, deps: HubDeps): Promise<HubRevision> {
  const hubUrl = currentHubUrl(deps.hubUrl);
  const key = await listingPath(hubUrl, id, revision);
  const cached = await deps.store.read(key);
  const kept = cached ? (JSON.parse(new TextDecoder().decode(cached)) as HubRevision) : undefined;
  // A commit's file list never changes; a branch may move, so it is asked again when possible.
  if (kept && COMMIT.test(revision)) return kept;
  const get = deps.fetch;
  const url = `${hubUrl}/api/models/${id}/revision/${encodeURIComponent(revision)}?blobs=true`;
  let res: Response;
  try {
    if (!get) throw new Error('this runner cannot download files');
    res = await get(url);
  } catch (e) {
    if (kept) return kept;
    throw new AssetError(`hf:${id}@${revision}: cannot reach the Hub at ${hubUrl} (${(e as Error).message})`);
  }
  if (!res.ok) {
    const why =
      res.status === 404
        ? 'no such model or revision'
        : res.status === 401 || res.status === 403
          ? 'private or gated: log in or accept its terms on the Hub'
          : `HTTP ${res.status}`;
    throw new AssetError(`hf:${id}@${revision}: the Hub refused the file list (${why})`);
  }
  const info = (await res.json()) as Partial<HubRevision>;
  if (typeof info.sha !== 'string' || !Array.isArray(info.siblings)) throw new AssetError(`hf:${id}@${revision}: the Hub's answer has no commit or file list`);
  const listing: HubRevision = {
    sha: info.sha,
    siblings: info.siblings.map((s) => ({ rfilename: s.rfilename, size: s.size, lfs: s.lfs && { sha256: s.lfs.sha256, size: s.lfs.size } })),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(listing));
  // Kept under the commit too: a run pinned to it later resolves without the network.
  const commitKey = await listingPath(hubUrl, id, listing.sha);
  await deps.store.commit(
    commitKey === key
      ? [{ path: key, bytes }]
      : [
          { path: key, bytes },
          { path: commitKey, bytes },
        ],
  );
  return listing;
}

/** The files a sequence-classification checkpoint needs, or an error naming what is missing. */
function chooseFiles(id: string, names: Set<string>, readIndex: () => Promise<string[]>): Promise<string[]> | string[] {
  if (!names.has(CONFIG)) throw new AssetError(`hf:${id}: the repository has no config.json, so it is not a transformers checkpoint`);
  if (!names.has('tokenizer.json')) throw new AssetError(`hf:${id}: the repository has no tokenizer.json (the fast tokenizer this lab reads)`);
  const tokenizer = TOKENIZER.filter((n) => names.has(n));
  if (names.has(WEIGHTS)) return [CONFIG, ...tokenizer, WEIGHTS];
  if (names.has(INDEX)) return readIndex().then((shards) => [CONFIG, ...tokenizer, INDEX, ...shards]);
  const legacy = [...names].filter((n) => /^(pytorch_model.*\.bin|tf_model\.h5|flax_model\.msgpack)$/.test(n));
  throw new AssetError(
    `hf:${id}: no model.safetensors (nor model.safetensors.index.json) in the repository${legacy.length ? `; it has only ${legacy.join(', ')}, which this lab does not read (pickled or framework-specific weights): pick a revision with safetensors, or convert it (the Hub's "convert to safetensors" space, or save_pretrained(safe_serialization=True))` : ''}`,
  );
}

/**
 * Resolves `hf:OWNER/NAME[@REV]` to its commit and the pinned references of the files a
 * checkpoint needs. The shard list of a sharded checkpoint is read from its index (through the
 * asset store, so it is cached like the rest).
 */
export async function resolveHubCheckpoint(base: string, deps: HubDeps, assets: AssetStore): Promise<HubCheckpointFiles> {
  const { id, revision } = parseHubId(base);
  const info = await revisionInfo(id, revision, deps);
  const byName = new Map(info.siblings.map((s) => [s.rfilename, s]));
  const ref = (name: string): AssetRef => {
    const s = byName.get(name);
    const size = s?.lfs?.size ?? s?.size;
    return { uri: `hf:${id}@${info.sha}/${name}`, ...(s?.lfs ? { sha256: s.lfs.sha256 } : {}), ...(size !== undefined ? { bytes: size } : {}) };
  };
  const names = await chooseFiles(id, new Set(byName.keys()), async () => {
    const index = JSON.parse(await assets.resolveText(ref(INDEX))) as { weight_map?: Record<string, string> };
    const shards = [...new Set(Object.values(index.weight_map ?? {}))].sort();
    const absent = shards.filter((s) => !byName.has(s));
    if (!shards.length || absent.length)
      throw new AssetError(`hf:${id}@${revision}: ${INDEX} names ${absent.length ? `shards the repository lacks: ${absent.join(', ')}` : 'no shards'}`);
    return shards;
  });
  const files = new Map(names.map((n) => [n, ref(n)]));
  return { id, revision, commit: info.sha, files, totalBytes: [...files.values()].reduce((n, r) => n + (r.bytes ?? 0), 0) };
}

export interface CheckpointProgress {
  /** Bytes of all the checkpoint's files read so far (cached ones count as read). */
  done: number;
  total: number;
  /** The file being read. */
  file: string;
}

/**
 * Reads every file of a resolved checkpoint through the asset store, reporting progress over
 * all of them in bytes. Returns a reader by file name, for readCheckpoint and the tokenizer.
 */
export async function downloadHubCheckpoint(
  assets: AssetStore,
  ckpt: HubCheckpointFiles,
  onProgress?: (p: CheckpointProgress) => void,
): Promise<(name: string) => Promise<Uint8Array | undefined>> {
  const bytes = new Map<string, Uint8Array>();
  let before = 0;
  for (const [name, ref] of ckpt.files) {
    const report = (p: AssetProgress) => onProgress?.({ done: before + p.done, total: ckpt.totalBytes, file: name });
    const b = await assets.resolve(ref, report);
    bytes.set(name, b);
    before += b.length;
    onProgress?.({ done: before, total: ckpt.totalBytes, file: name });
  }
  return async (name) => bytes.get(name);
}

/**
 * A base checkpoint on the Hub as the estimator reads it: every file downloaded (overall
 * progress in bytes) and referenced at the resolved commit with its size and sha256 (the Hub's
 * for LFS files, the bytes' own for the rest), so a run records exactly what it read.
 */
export async function hubBaseSource(assets: AssetStore, hub: HubDeps, base: string, onProgress?: (p: CheckpointProgress) => void): Promise<BaseModelSource & { files: string[] }> {
  const ckpt = await resolveHubCheckpoint(base, hub, assets);
  const read = await downloadHubCheckpoint(assets, ckpt, onProgress);
  const refs = new Map<string, AssetRef>();
  for (const [name, ref] of ckpt.files) {
    const bytes = (await read(name))!;
    refs.set(name, { ...ref, sha256: ref.sha256 ?? (await sha256Hex(bytes)), bytes: bytes.length });
  }
  return {
    describe: { id: ckpt.id, revision: ckpt.commit },
    files: [...ckpt.files.keys()],
    read,
    ref(name) {
      const r = refs.get(name);
      if (!r) throw new AssetError(`hf:${ckpt.id}@${ckpt.commit}/${name} is not one of the checkpoint's files`);
      return r;
    },
  };
}

/** How often a download in progress is written to the partial store (bytes). */
const FLUSH_BYTES = 1 << 20;

const partialPath = async (url: string) => `cache/partial/${await sha256Hex(url)}`;

/**
 * Wraps fetch so that a download which broke off resumes: the bytes received are kept in the
 * BlobStore under `cache/partial/<sha256(url)>` as they arrive, and the next request for the
 * same URL asks only for the rest (`Range: bytes=N-`, with `If-Range` and the strong ETag the
 * first response carried, so a file that changed meanwhile comes back whole). The response it returns always carries
 * the whole file (kept bytes first), with its full length, so the asset store checks the size
 * and sha256 of the joined file as of any other; the partial file is dropped once complete.
 * A server that ignores the range (200) or refuses it (416) gets a fresh download.
 */
export function resumableFetch(inner: typeof fetch, partial: BlobStore): typeof fetch {
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if ((init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase() !== 'GET') return inner(input, init);
    const key = await partialPath(url);
    let kept = (await partial.read(key)) ?? new Uint8Array(0);
    const validator = await partial.read(`${key}.validator`);
    let res: Response;
    if (kept.length) {
      const headers = new Headers(init?.headers);
      headers.set('range', `bytes=${kept.length}-`);
      // The server sends the whole file (200) instead when it changed since the kept bytes came.
      if (validator) headers.set('if-range', new TextDecoder().decode(validator));
      res = await inner(url, { ...init, headers });
      if (res.status === 416 || res.status === 200) {
        // The range is not served (or the kept bytes are not a prefix of this file): start again.
        await partial.remove(key);
        await partial.remove(`${key}.validator`);
        kept = new Uint8Array(0);
        if (res.status === 416) res = await inner(url, init);
      } else if (res.status !== 206) return res;
    } else res = await inner(url, init);
    if (!res.ok || !res.body) return res;
    const etag = res.headers.get('etag');
    if (!kept.length && etag && !etag.startsWith('W/')) await partial.commit([{ path: `${key}.validator`, bytes: new TextEncoder().encode(etag) }]);
    const rest = Number(res.headers.get('content-length'));
    const whole = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
    const total = whole ? Number(whole[1]) : rest > 0 ? kept.length + rest : undefined;
    const reader = res.body.getReader();
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      const chunk = new Uint8Array(pendingBytes);
      let at = 0;
      for (const c of pending) {
        chunk.set(c, at);
        at += c.length;
      }
      pending = [];
      pendingBytes = 0;
      await partial.append(key, chunk);
    };
    let started = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          if (kept.length) return controller.enqueue(kept);
        }
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (e) {
          // Keep what arrived, so the next attempt asks only for the rest.
          await flush().catch(() => undefined);
          return controller.error(e);
        }
        if (step.done) {
          pending = [];
          pendingBytes = 0;
          await partial.remove(key);
          await partial.remove(`${key}.validator`);
          return controller.close();
        }
        pending.push(step.value);
        pendingBytes += step.value.length;
        if (pendingBytes >= FLUSH_BYTES) await flush();
        controller.enqueue(step.value);
      },
      async cancel(reason) {
        await flush().catch(() => undefined);
        await reader.cancel(reason);
      },
    });
    const headers = new Headers(res.headers);
    headers.delete('content-range');
    if (total !== undefined) headers.set('content-length', String(total));
    else headers.delete('content-length');
    return new Response(body, { status: 200, statusText: 'OK', headers });
  };
  return wrapped as typeof fetch;
}
