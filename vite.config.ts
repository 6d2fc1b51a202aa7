import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The page renders; the lab worker (workers/lab.worker.ts) does all long work.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  optimizeDeps: {
    // The dependency scan starts from index.html and never follows `new Worker(new URL(...))`,
    // nor dynamic imports taken only at run time: without these, `npm run dev` finds the
    // worker's packages on first load, re-bundles them and reloads the page mid-import.
    entries: ['index.html', 'headless.html', 'demo.html', 'workers/*.ts', 'src/demo/*.worker.ts'],
    include: [
      'react',
      'react-dom/client',
      'recharts',
      'zustand',
      'zustand/middleware',
      'comlink',
      'zod',
      'idb',
      'hyparquet',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgpu',
      // Its threaded worker file is CommonJS: served unbundled, the module fails to link
      // ("does not provide an export named 'wasmWorkerContents'") and the lab worker never starts.
      // The .wasm files are still imported by path with ?url (platform/browser/backend.ts).
      '@tensorflow/tfjs-backend-wasm',
    ],
    // transformers (pretrained tokenizers only) is a large ESM bundle loaded on demand: pre-bundling
    // it would hold every first load for minutes.
    exclude: ['@huggingface/transformers'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, rollupOptions: { input: { main: 'index.html', headless: 'headless.html', demo: 'demo.html' } } },
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
  preview: { host: '127.0.0.1' },
});
