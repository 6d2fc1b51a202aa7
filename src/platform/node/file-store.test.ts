import { mkdtempSync, readdirSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBlobStore } from '../../core/storage/contract-suite';
import { toBytes } from '../../core/storage/port';
import { FileStore } from './file-store';

describeBlobStore('FileStore', () => new FileStore(mkdtempSync(join(tmpdir(), 'agnews-fs-'))));

describe('FileStore atomicity', () => {
  it('a failed commit leaves earlier files untouched and no temporary files behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'agnews-fs-'));
    const s = new FileStore(root);
    await s.commit([{ path: 'ck/latest.json', bytes: toBytes('v1') }]);
    // A plain file where a folder must go makes the second write of the commit fail.
    writeFileSync(join(root, 'blocker'), 'x');
    await expect(s.commit([{ path: 'ck/latest.json', bytes: toBytes('v2') }, { path: 'blocker/x.bin', bytes: toBytes('x') }])).rejects.toThrow();
    expect(new TextDecoder().decode(await s.read('ck/latest.json'))).toBe('v1');
    expect(readdirSync(join(root, 'ck'))).toEqual(['latest.json']);
  });

  it('refuses paths that climb out of the store', async () => {
    const s = new FileStore(mkdtempSync(join(tmpdir(), 'agnews-fs-')));
    await expect(s.commit([{ path: '../evil', bytes: toBytes('x') }])).rejects.toThrow(/outside the store/);
  });

  it('reports a read-only folder as a storage error', async () => {
    if (process.getuid?.() === 0) return; // root ignores permissions
    const root = mkdtempSync(join(tmpdir(), 'agnews-fs-'));
    mkdirSync(join(root, 'ro'));
    chmodSync(join(root, 'ro'), 0o500);
    await expect(new FileStore(root).commit([{ path: 'ro/a', bytes: toBytes('x') }])).rejects.toThrow(/Cannot write/);
  });
});
