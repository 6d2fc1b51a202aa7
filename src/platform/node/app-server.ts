/**
 * Builds the page with Vite and serves it on a free localhost port (WebGPU needs a secure
 * context, which http://localhost is). A production build avoids the dev server's
 * dependency re-optimisation, which reloads the page in the middle of a run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function serveApp(opts: { outDir?: string } = {}): Promise<AppServer> {
  const { build, preview } = await import('vite');
  const outDir = opts.outDir ?? mkdtempSync(join(tmpdir(), 'agnews-app-'));
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's and TF.js's development
  // paths: the page under test must be the production page.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: projectRoot, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({ root: projectRoot, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}
