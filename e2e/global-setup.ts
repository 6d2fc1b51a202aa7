/** Builds and serves the page once for every e2e file. */
import type { TestProject } from 'vitest/node';
import { serveApp, type AppServer } from '../src/platform/node/app-server';

let app: AppServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  app = await serveApp();
  project.provide('appUrl', app.url);
}

export async function teardown(): Promise<void> {
  await app?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
  }
}
