/**
 * `agnews train --browser`: the same config through the page's path (Web Worker, IndexedDB,
 * WebGPU) inside headless Chromium, then the run's files copied out into the run folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ExperimentConfig } from '../core/experiment/config';
import type { BackendChoice, ResultRecord } from '../core/experiment/result';
import type { ImportRequest } from '../core/data/request';
import type { LabEvent } from '../core/lab/api';
import { FileStore } from '../platform/node/file-store';
import { serveApp } from '../platform/node/app-server';
import { launchChromium } from '../platform/node/chromium';
import { requestFor } from '../platform/node/data-source';
import type { Reporter } from './reporter';

/** One training job of the runner: its config, data, run folder and backend, in Node or in the browser. */
export interface TrainTarget {
  config: ExperimentConfig;
  dataSpec: string;
  source: string;
  out: string;
  runId: string;
  backend: BackendChoice;
  reporter: Reporter;
}

/** Files travel to the page by URL (served from here), not through evaluate()'s JSON. */
function servedFiles(spec: string): Map<string, string> {
  const files = new Map<string, string>();
  if (spec.startsWith('hf:')) return files;
  const path = resolve(spec);
  if (statSync(path).isDirectory()) for (const n of readdirSync(path)) files.set(n, join(path, n));
  else files.set(basename(path), path);
  return files;
}

export async function trainInBrowser(args: TrainTarget): Promise<ResultRecord> {
  const { reporter } = args;
  reporter.log('building and serving the page…');
  const app = await serveApp();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && reporter.log(`[page] ${m.text()}`));
    const files = servedFiles(args.dataSpec);
    await page.route('**/__data/**', (route) => {
      const name = decodeURIComponent(new URL(route.request().url()).pathname.split('/__data/')[1]);
      const p = files.get(name);
      return p ? route.fulfill({ body: readFileSync(p), contentType: 'application/octet-stream' }) : route.fulfill({ status: 404 });
    });
    // tsx compiles with esbuild's keepNames, which wraps functions in __name(); functions
    // serialised into the page need that helper to exist there.
    await page.addInitScript('window.__name = (f) => f');
    await page.exposeFunction('agnewsEvent', (e: LabEvent) => reporter.onEvent(e));
    await page.goto(`${app.url}/headless.html`);
    await page.waitForFunction(() => 'agnewsHeadless' in window);
    // The request is built here with placeholder bytes; the page swaps in the served files.
    const req = requestFor(args.dataSpec, {});
    // Generated files (a classes.txt for a lone CSV) are not on disk: they travel inline.
    const shape = JSON.parse(
      JSON.stringify(req, function (this: { name?: string }, k, v) {
        return k === 'bytes' ? (files.has(this.name ?? '') ? undefined : Array.from(v as Uint8Array)) : v;
      }),
    ) as ImportRequest;
    const { result, runFiles } = await page.evaluate(
      async ({ shape, config, backend }) => {
        const { lab, proxy } = window.agnewsHeadless;
        const emit = (window as unknown as { agnewsEvent: (e: unknown) => void }).agnewsEvent;
        const fill = async (f: { name: string; bytes?: number[] }) => ({
          name: f.name,
          bytes: f.bytes ? Uint8Array.from(f.bytes) : new Uint8Array(await (await fetch(`/__data/${encodeURIComponent(f.name)}`)).arrayBuffer()),
        });
        const base64 = (b: Uint8Array) => {
          let s = '';
          for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
          return btoa(s);
        };
        const r = shape as unknown as Record<string, unknown> & { kind: string };
        if (r.kind === 'agnews') r.files = await Promise.all((r.files as { name: string }[]).map(fill));
        if (r.kind === 'table') r.train = await fill(r.train as { name: string });
        const meta = await lab.importDataset(
          r as never,
          proxy((e: unknown) => emit(e)),
        );
        const result = await lab.train(
          { datasetId: meta.id, config, backend },
          proxy((e: unknown) => emit(e)),
        );
        const exported = await lab.exportRun(result.run);
        return { result, runFiles: exported.map((f) => ({ path: f.path, data: base64(f.bytes) })) };
      },
      { shape, config: args.config, backend: args.backend },
    );
    const store = new FileStore(args.out);
    await store.commit(runFiles.map((f) => ({ path: f.path, bytes: new Uint8Array(Buffer.from(f.data, 'base64')) })));
    const record: ResultRecord = { ...result, run: args.runId, data: { ...result.data, source: args.source } };
    await store.commit([{ path: 'result.json', bytes: new TextEncoder().encode(JSON.stringify(record, null, 2) + '\n') }]);
    return record;
  } finally {
    await browser.close();
    await app.close();
  }
}
