#!/usr/bin/env node
// The `agnews` command: runs the TypeScript CLI through tsx, so there is no build step.
import { tsImport } from 'tsx/esm/api';

await tsImport('../src/cli/main.ts', import.meta.url);
