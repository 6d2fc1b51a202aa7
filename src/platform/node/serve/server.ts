/**
 * The prediction server over node:http: `POST /v1/classify`, `GET /healthz`, `GET /metrics`.
 * Every refusal is a JSON `{ "error": { "status", "message" } }` that says what to change; an
 * internal failure answers 500 with a fixed message (the details go to the log, never the client).
 * `close()` stops taking connections, lets the requests in flight finish, then releases the model.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { argmax } from '../../../core/eval/metrics';
import type { ServedModel } from '../../../core/lab/serve-model';
import { MicroBatcher } from './batcher';
import { ServeMetrics } from './metrics';

export interface ServeOptions {
  port: number;
  host: string;
  /** Most texts in one model call. */
  maxBatch: number;
  /** Longest a request waits for others to share its batch. */
  maxWaitMs: number;
  /** Most texts in one request. */
  maxTexts: number;
  /** Largest request body in bytes. */
  maxBody: number;
  /** Where internal errors are written (the client never sees them). */
  log?: (line: string) => void;
}

export const SERVE_DEFAULTS = { port: 8080, host: '127.0.0.1', maxBatch: 64, maxWaitMs: 2, maxTexts: 256, maxBody: 1 << 20 } as const;

export interface RunningServer {
  url: string;
  port: number;
  metrics: ServeMetrics;
  /** Stops accepting, finishes the requests in flight, releases the model. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return reject(new HttpError(413, `request body is ${declared} bytes; the limit is ${limit} (--max-body)`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, `request body is over the limit of ${limit} bytes (--max-body)`));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The texts of a classify request, or a 4xx naming what is wrong. */
export function parseClassify(body: Buffer, maxTexts: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (e) {
    throw new HttpError(400, `body is not valid JSON (${e instanceof SyntaxError ? e.message : 'not UTF-8'}); send {"texts": ["..."]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'body must be a JSON object: {"texts": ["..."]}');
  const texts = (parsed as { texts?: unknown }).texts;
  if (texts === undefined) throw new HttpError(400, 'missing field "texts": send {"texts": ["..."]}');
  if (!Array.isArray(texts)) throw new HttpError(400, `"texts" must be an array of strings, got ${typeof texts}`);
  if (texts.length === 0) throw new HttpError(400, '"texts" is empty: send at least one text');
  if (texts.length > maxTexts) throw new HttpError(413, `"texts" holds ${texts.length} texts; at most ${maxTexts} per request (--max-texts)`);
  const bad = texts.findIndex((t) => typeof t !== 'string');
  if (bad >= 0) throw new HttpError(400, `texts[${bad}] is ${texts[bad] === null ? 'null' : typeof texts[bad]}, not a string`);
  return texts as string[];
}

export async function startServer(model: ServedModel, opts: ServeOptions): Promise<RunningServer> {
  const metrics = new ServeMetrics();
  const batcher = new MicroBatcher(model, { maxBatch: opts.maxBatch, maxWaitMs: opts.maxWaitMs, onBatch: (t, r) => metrics.batch(t, r) });
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  let closing = false;

  const send = (res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers, ...(closing ? { connection: 'close' } : {}) });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>) => send(res, status, JSON.stringify(value), 'application/json', headers);

  const classify = async (req: IncomingMessage): Promise<unknown> => {
    const texts = parseClassify(await readBody(req, opts.maxBody), opts.maxTexts);
    const { probs, stage } = await batcher.predict(texts);
    const predictions = probs.map((p, i) => {
      // A damaged model can yield NaN; that is the server's fault, not the client's.
      if (!Array.from(p).every(Number.isFinite)) throw new Error(`the model gave non-numeric probabilities for texts[${i}]`);
      const row: { label: string; probs: number[]; stage?: number } = { label: model.classes[argmax(p)], probs: Array.from(p, (v) => Number(v.toFixed(6))) };
      if (stage) row.stage = stage[i];
      return row;
    });
    return { classes: model.classes, ...(model.stages ? { stages: model.stages } : {}), predictions };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const allow = (method: string) => {
      if (req.method !== method) throw new HttpError(405, `${path} takes ${method}, not ${req.method}`, { allow: method });
    };
    if (path === '/v1/classify') {
      allow('POST');
      json(res, 200, await classify(req));
    } else if (path === '/healthz') {
      allow('GET');
      json(res, closing ? 503 : 200, { status: closing ? 'shutting down' : 'ok', run: model.runId, model: model.kind, classes: model.classes });
    } else if (path === '/metrics') {
      allow('GET');
      send(res, 200, metrics.text(), 'text/plain; version=0.0.4; charset=utf-8');
    } else throw new HttpError(404, `no such path ${path}: use POST /v1/classify, GET /healthz or GET /metrics`);
  };

  const server: Server = createServer((req, res) => {
    const start = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0];
    res.on('finish', () => metrics.request(path, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9));
    route(req, res, path).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpError) return json(res, e.status, { error: { status: e.status, message: e.message } }, e.headers);
      log(`agnews serve: internal error on ${req.method} ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      json(res, 500, { error: { status: 500, message: 'internal error while classifying; the server log has the details' } });
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    metrics,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        // close() waits for the connections in flight; idle keep-alive ones would hold it open.
        server.close(() => {
          model.close();
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
