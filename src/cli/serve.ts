/** `agnews serve`: a finished run behind HTTP until SIGTERM or Ctrl-C, which finish the requests in flight. */
import type { BackendChoice } from '../core/experiment/result';
import { createNodeLab } from '../platform/node/node-lab';
import { existingRunDir } from '../platform/node/run-dirs';
import { SERVE_DEFAULTS, startServer } from '../platform/node/serve/server';
import { printRecord } from './util';

export interface ServeCommandOptions {
  run: string;
  port?: number;
  host?: string;
  maxBatch?: number;
  maxWaitMs?: number;
  maxTexts?: number;
  maxBody?: number;
  backend: BackendChoice;
  json?: boolean;
}

export async function serveCommand(opts: ServeCommandOptions): Promise<void> {
  existingRunDir('--run', opts.run);
  const model = await createNodeLab({ backend: opts.backend }).serve(opts.run);
  const settings = {
    port: opts.port ?? SERVE_DEFAULTS.port,
    host: opts.host ?? SERVE_DEFAULTS.host,
    maxBatch: opts.maxBatch ?? SERVE_DEFAULTS.maxBatch,
    maxWaitMs: opts.maxWaitMs ?? SERVE_DEFAULTS.maxWaitMs,
    maxTexts: opts.maxTexts ?? SERVE_DEFAULTS.maxTexts,
    maxBody: opts.maxBody ?? SERVE_DEFAULTS.maxBody,
  };
  let server;
  try {
    server = await startServer(model, settings);
  } catch (e) {
    model.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${settings.port} on ${settings.host} is in use: choose another with --port`, { cause: e });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`--host ${settings.host}: not an address of this machine`, { cause: e });
    throw e;
  }
  const running = server;
  if (opts.json) printRecord({ url: running.url, run: opts.run, model: model.kind, classes: model.classes, ...settings, port: running.port }, true);
  else process.stdout.write(`serving ${opts.run} (${model.kind}) at ${running.url}/v1/classify  (GET /healthz, /metrics; Ctrl-C or SIGTERM stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      process.stderr.write('agnews serve: stopping; finishing the requests in flight\n');
      void running.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
