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
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('vite dev server did not start in 120 s')), 120_000);
    server.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes(`:${PORT}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on('exit', (code) => reject(new Error(`vite exited with ${code}`)));
  });
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
