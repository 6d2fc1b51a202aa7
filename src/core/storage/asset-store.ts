/**
 * The asset store: the one place a reference `{uri, sha256?, bytes?}` becomes bytes. Remote
 * schemes (`hf:`, `https:`, `http:`) are downloaded once through the injected fetch, with
 * progress, and kept in the BlobStore; `file:` goes through the platform's file reader (Node);
 * `store:` reads the BlobStore itself. Every resolution checks the size and SHA-256 the
 * reference gives, cached copies included, so a swapped or truncated file never loads.
 */
import { LabError } from '../util/errors';
import { sha256Hex } from '../util/hash';
import type { AssetRef } from './artifact-ref';
import type { BlobStore } from './port';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** A Hub base URL fixed at creation, or read at each download (the page's setting, changed at run time). */
export type HubUrl = string | (() => string | undefined);

/** The Hub base URL in effect now, without a trailing slash. */
export const currentHubUrl = (hubUrl?: HubUrl): string => ((typeof hubUrl === 'function' ? hubUrl() : hubUrl) ?? DEFAULT_HUB_URL).replace(/\/+$/, '');

export class AssetError extends LabError {
  override readonly name = 'AssetError';
}

/** The Hub base URL a user typed, as an http(s) address without a trailing slash, or a clear refusal. */
export function hubUrlSetting(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new AssetError(`Hub URL "${url}" is not an address: expected something like ${DEFAULT_HUB_URL}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AssetError(`Hub URL "${url}": only http: and https: addresses can serve the Hub's files`);
  if (parsed.search || parsed.hash || parsed.username) throw new AssetError(`Hub URL "${url}": give the base address only, without credentials, ?query or #fragment`);
  return parsed.href.replace(/\/+$/, '');
}

export interface AssetProgress {
  uri: string;
  done: number;
  /** Bytes expected, when the reference or the server says. */
  total?: number;
}

export interface AssetStoreDeps {
  /** The cache for downloads, and what `store:` paths read. */
  store: BlobStore;
  fetch?: typeof fetch;
  /** Where `hf:` points (tests and mirrors use their own), read at each resolution. Default the public Hub. */
  hubUrl?: HubUrl;
  /** `file:` paths, where the platform can read files (Node). */
  readFile?: (path: string) => Promise<Uint8Array>;
}

export interface AssetStore {
  resolve(ref: AssetRef | string, onProgress?: (p: AssetProgress) => void): Promise<Uint8Array>;
  resolveText(ref: AssetRef | string, onProgress?: (p: AssetProgress) => void): Promise<string>;
}

type Located = { kind: 'remote'; url: string } | { kind: 'file'; path: string } | { kind: 'store'; path: string };

const HF = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w.\-/%]+?))?\/(.+)$/;

/** Where a URI points. `hf:OWNER/NAME@REV/path` reads the file at that revision (default main). */
export function locate(uri: string, hubUrl: string = DEFAULT_HUB_URL): Located {
  if (uri.startsWith('hf:')) {
    const m = HF.exec(uri);
    if (!m) throw new AssetError(`${uri}: expected hf:OWNER/NAME[@REV]/path`);
    const [, repo, rev, path] = m;
    return { kind: 'remote', url: `${hubUrl.replace(/\/$/, '')}/${repo}/resolve/${encodeURIComponent(rev ?? 'main')}/${path.split('/').map(encodeURIComponent).join('/')}` };
  }
  if (/^https?:\/\//.test(uri)) return { kind: 'remote', url: uri };
  if (uri.startsWith('file:')) return { kind: 'file', path: decodeURIComponent(uri.replace(/^file:(\/\/(?=\/))?/, '')) };
  if (uri.startsWith('store:')) return { kind: 'store', path: uri.slice('store:'.length) };
  throw new AssetError(`${uri}: unknown scheme (use hf:, https:, file: or store:)`);
}

export const ASSET_CACHE = 'cache/assets/';
const cachePath = async (url: string) => `${ASSET_CACHE}${await sha256Hex(url)}`;

/** The record kept beside a cached download (`<path>.ref.json`): its reference, source URL, size and when it came. */
export interface CachedAsset {
  uri: string;
  url: string;
  bytes: number;
  at: string;
}
export const CACHED_ASSET_SUFFIX = '.ref.json';

export function createAssetStore(deps: AssetStoreDeps): AssetStore {
  async function download(uri: string, url: string, expected: number | undefined, onProgress?: (p: AssetProgress) => void): Promise<Uint8Array> {
    // Called unbound: browsers throw "Illegal invocation" when fetch runs with `this` = deps.
    const get = deps.fetch;
    if (!get) throw new AssetError(`${uri}: this runner cannot download files`);
    let res: Response;
    try {
      res = await get(url);
    } catch (e) {
      throw new AssetError(`${uri}: download failed (${(e as Error).message})`);
    }
    if (!res.ok)
      throw new AssetError(
        `${uri}: download failed with HTTP ${res.status}${res.status === 404 ? ' (no such file?)' : res.status === 401 || res.status === 403 ? ' (private or gated?)' : ''}`,
      );
    const header = Number(res.headers.get('content-length'));
    const total = expected ?? (header > 0 ? header : undefined);
    if (!res.body) return new Uint8Array(await res.arrayBuffer());
    const chunks: Uint8Array[] = [];
    let done = 0;
    const reader = res.body.getReader();
    onProgress?.({ uri, done, total });
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      chunks.push(value);
      done += value.length;
      onProgress?.({ uri, done, total });
    }
    const out = new Uint8Array(done);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** The bytes a reference points at, checked against its size and SHA-256. */
  async function resolve(r: AssetRef | string, onProgress?: (p: AssetProgress) => void): Promise<Uint8Array> {
    const ref = typeof r === 'string' ? { uri: r } : r;
    const where = locate(ref.uri, currentHubUrl(deps.hubUrl));
    const verified = async (bytes: Uint8Array) => {
      const wrong = await problem(ref, bytes);
      if (wrong) throw new AssetError(`${ref.uri}: ${wrong}`);
      return bytes;
    };
    if (where.kind === 'store') {
      const b = await deps.store.read(where.path);
      if (!b) throw new AssetError(`${ref.uri}: not in the store`);
      return verified(b);
    }
    if (where.kind === 'file') {
      if (!deps.readFile) throw new AssetError(`${ref.uri}: this runner cannot read local files; give an https: or hf: address instead`);
      let b: Uint8Array;
      try {
        b = await deps.readFile(where.path);
      } catch (e) {
        throw new AssetError(`${ref.uri}: cannot read the file (${(e as Error).message})`);
      }
      return verified(b);
    }
    const key = await cachePath(where.url);
    const cached = await deps.store.read(key);
    // A cached copy that no longer matches the reference is downloaded again, not trusted.
    if (cached && (await problem(ref, cached)) === undefined) return cached;
    const bytes = await verified(await download(ref.uri, where.url, ref.bytes, onProgress));
    // Beside the bytes, what they are: storage accounting groups cached files by base model and evicts the oldest.
    const about: CachedAsset = { uri: ref.uri, url: where.url, bytes: bytes.length, at: new Date().toISOString() };
    await deps.store.commit([
      { path: key, bytes },
      { path: key + CACHED_ASSET_SUFFIX, bytes: new TextEncoder().encode(JSON.stringify(about)) },
    ]);
    return bytes;
  }

  return {
    resolve,
    resolveText: async (ref, onProgress) => new TextDecoder().decode(await resolve(ref, onProgress)),
  };
}

/** Why bytes do not match their reference, or undefined when they do. */
async function problem(ref: AssetRef, bytes: Uint8Array): Promise<string | undefined> {
  if (ref.bytes !== undefined && bytes.length !== ref.bytes) return `size mismatch: expected ${ref.bytes} bytes, got ${bytes.length}`;
  if (ref.sha256 !== undefined) {
    const got = await sha256Hex(bytes);
    if (got !== ref.sha256.replace(/^sha256:/, '').toLowerCase()) return `sha256 mismatch: expected ${ref.sha256}, got ${got}`;
  }
  return undefined;
}
