/* eslint-disable no-restricted-imports -- the archive is checked by an independent reader, Python's zipfile */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, zip } from './zip';

const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import zipfile']);
    return true;
  } catch {
    return false;
  }
})();

describe('zip', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it.skipIf(!hasPython)('writes an archive another reader lists and extracts byte for byte', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 251);
    const archive = zip([
      { path: 'config.json', bytes: new TextEncoder().encode('{"a": 1}\n') },
      { path: 'onnx/model.onnx', bytes },
      { path: 'empty.txt', bytes: new Uint8Array() },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'agnews-zip-'));
    try {
      writeFileSync(join(dir, 'a.zip'), archive);
      const script =
        'import sys, zipfile, hashlib\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist(): print(i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest()[:8])';
      const out = execFileSync('python3', ['-c', script, join(dir, 'a.zip')], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['config.json 9', 'onnx/model.onnx 70000', 'empty.txt 0']);
      expect(out[1].split(' ')[2]).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 8));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses paths that would leave the folder', () => {
    expect(() => zip([{ path: '../x', bytes: new Uint8Array() }])).toThrow(/must be relative/);
    expect(() => zip([{ path: '/etc/x', bytes: new Uint8Array() }])).toThrow(/must be relative/);
  });
});
