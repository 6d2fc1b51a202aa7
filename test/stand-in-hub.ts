/**
 * A stand-in Hugging Face Hub for tests (unit and e2e): a node:http server on 127.0.0.1 that
 * serves folders as model repositories, `local/<name>` for each folder of ../shared/models by
 * default. It answers the two calls the lab makes, the way the Hub does:
 * - `GET /api/models/{owner}/{name}/revision/{rev}[?blobs=true]`: `{ id, sha, siblings }`, the
 *   siblings with `size` and, for LFS-tracked kinds (safetensors, bin, onnx, ...), `lfs.sha256`;
 * - `GET /{owner}/{name}/resolve/{rev}/{path}`: the file, with `Range: bytes=N-` answered 206.
 * `rev` is `main` or the fixed commit `COMMIT`. Answers carry the Hub's CORS headers (pages fetch from it). Tests can cut the next response for a file short
 * (the socket closes after N bytes), slow every file down to a given rate, and read the log of
 * every request.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';

/** The commit every stand-in repository's `main` points at. */
export const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** ../shared/models beside the repository. */
export const SHARED_MODELS = resolve(import.meta.dirname, '..', '..', 'shared', 'models');

const LFS = /\.(safetensors|bin|onnx|h5|msgpack|pt|pth)$/;

export interface HubRequest {
  method: string;
  path: string;
  range?: string;
  ifRange?: string;
}

export interface StandInHub {
  url: string;
  /** Every request so far, in order. */
  requests: HubRequest[];
  /** The next response for `repo`'s `file` ends (socket destroyed) after `bytes` bytes of the body. */
  cutNext(repo: string, file: string, bytes: number): void;
  close(): Promise<void>;
}

export interface StandInHubOptions {
  /** `owner/name` → folder. Default: `local/<name>` for every folder of ../shared/models. */
  repos?: Record<string, string>;
  /** Sends file bodies at about this rate, as a slow link does (so a page shows its download progress). Default: at once. */
  bytesPerSecond?: number;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.isFile()) out.push(relative(dir, join(d, e.name)).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

function sharedRepos(): Record<string, string> {
  const repos: Record<string, string> = {};
  for (const e of readdirSync(SHARED_MODELS, { withFileTypes: true })) if (e.isDirectory()) repos[`local/${e.name}`] = join(SHARED_MODELS, e.name);
  return repos;
}

export async function startStandInHub(opts: StandInHubOptions = {}): Promise<StandInHub> {
  const repos = opts.repos ?? sharedRepos();
  const requests: HubRequest[] = [];
  const cuts = new Map<string, number>();
  const siblingsCache = new Map<string, unknown[]>();

  const siblings = (dir: string) => {
    let s = siblingsCache.get(dir);
    if (!s) {
      s = filesUnder(dir).map((rfilename) => {
        const bytes = readFileSync(join(dir, rfilename));
        const blobId = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
        return LFS.test(rfilename)
          ? { rfilename, blobId, size: bytes.length, lfs: { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, pointerSize: 134 } }
          : { rfilename, blobId, size: bytes.length };
      });
      siblingsCache.set(dir, s);
    }
    return s;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = decodeURIComponent(url.pathname);
    requests.push({
      method: req.method ?? 'GET',
      path,
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(typeof req.headers['if-range'] === 'string' ? { ifRange: req.headers['if-range'] } : {}),
    });
    // As the Hub does, so a page on another origin (the e2e tests) can read the files and their headers.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', 'content-length, content-range, etag, accept-ranges, x-repo-commit');
    if (req.method === 'OPTIONS')
      return void res
        .writeHead(204, { 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'range, if-range, authorization', 'access-control-max-age': '600' })
        .end();
    const notFound = (why: string) => void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: why }));

    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/(.+)$/.exec(path);
    if (api) {
      const [, repo, rev] = api;
      const dir = repos[repo];
      if (!dir) return notFound('Repository not found');
      if (rev !== 'main' && rev !== COMMIT) return notFound(`Invalid rev id: ${rev}`);
      const blobs = url.searchParams.get('blobs') === 'true';
      const list = siblings(dir).map((s) => (blobs ? s : { rfilename: (s as { rfilename: string }).rfilename }));
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ _id: repo, id: repo, modelId: repo, sha: COMMIT, private: false, siblings: list }));
    }

    const file = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (!file) return notFound('Not found');
    const [, repo, rev, name] = file;
    const dir = repos[repo];
    if (!dir || (rev !== 'main' && rev !== COMMIT)) return notFound('Repository or revision not found');
    const target = join(dir, name);
    if (!target.startsWith(dir) || !statSync(target, { throwIfNoEntry: false })?.isFile()) return void res.writeHead(404).end('Entry not found');
    const bytes = readFileSync(target);
    let start = 0;
    const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
    // As HTTP says: a range with an If-Range that no longer matches gets the whole file.
    const ifRange = req.headers['if-range'];
    const range = ifRange && ifRange !== etag ? null : /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= bytes.length) return void res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
    }
    const body = bytes.subarray(start);
    const headers = { 'content-length': String(body.length), 'accept-ranges': 'bytes', etag, 'x-repo-commit': COMMIT };
    if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
    else res.writeHead(200, headers);
    const key = `${repo}/${name}`;
    const cut = cuts.get(key);
    if (cut !== undefined) {
      cuts.delete(key);
      // Send part of the body, then drop the connection, as a broken download does.
      res.write(body.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    if (!opts.bytesPerSecond) return void res.end(body);
    const chunk = 64 * 1024;
    const pause = (1000 * chunk) / opts.bytesPerSecond;
    const send = (at: number) => {
      if (res.destroyed) return;
      if (at + chunk >= body.length) return void res.end(body.subarray(at));
      res.write(body.subarray(at, at + chunk));
      setTimeout(() => send(at + chunk), pause);
    };
    send(0);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    cutNext: (repo, file, bytes) => void cuts.set(`${repo}/${file}`, bytes),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
