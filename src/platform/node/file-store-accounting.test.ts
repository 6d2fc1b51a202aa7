import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeAccounting } from '../../core/storage/accounting-suite';
import { FileStore } from './file-store';

const root = mkdtempSync(join(tmpdir(), 'agnews-accounting-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
describeAccounting('node file store in a temporary folder', () => new FileStore(join(root, `store-${n++}`)));
