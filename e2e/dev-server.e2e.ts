/**
 * `npm run dev` serves modules unbundled: a package whose files only link once pre-bundled
 * (tfjs-backend-wasm's CommonJS worker file) broke the lab worker there while the built page
 * worked. This starts Vite's dev server itself and checks the worker answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../src/platform/node/chromium';

const PORT = 5191;
let server: ChildProcess;

beforeAll(async () => {
  server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', String(PORT), '--strictPort'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited: number | null | undefined;
  server.on('exit', (code) => (exited = code));
  server.stdout!.resume();
  server.stderr!.resume();
  // Poll the port rather than read Vite's banner, whose wording depends on the terminal and CI.
  for (const start = Date.now(); ; await new Promise((r) => setTimeout(r, 500))) {
    if (exited !== undefined) throw new Error(`vite exited with ${exited}`);
    if (Date.now() - start > 120_000) throw new Error('vite dev server did not answer in 120 s');
    const ok = await fetch(`http://127.0.0.1:${PORT}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
  }
}, 130_000);

afterAll(() => {
  server?.kill();
});

describe('npm run dev', () => {
  it('starts the lab worker: the backend badge leaves "checking"', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // The first load waits for Vite's dependency optimiser.
      await page.goto(`http://127.0.0.1:${PORT}/`, { timeout: 180_000 });
      await page
        .getByText(/^Backend: (WASM|WebGPU|CPU)/i)
        .first()
        .waitFor({ timeout: 240_000 });
      // A module that fails to link shows here with its reason (a worker's error event has none).
      // A string, so that Vitest's transform leaves the browser's own import() alone.
      const imported = await page.evaluate("import('/workers/lab.worker.ts').then(() => 'ok', (e) => String(e))");
      expect(imported).toBe('ok');
    } finally {
      await browser.close();
    }
  }, 480_000);
});
