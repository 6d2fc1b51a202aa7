import { defineConfig } from 'vitest/config';

// End-to-end: the built page in Debian's Chromium (WebGPU through SwiftShader), real IndexedDB.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
