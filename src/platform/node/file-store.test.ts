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
    await expect(
      s.commit([
        { path: 'ck/latest.json', bytes: toBytes('v2') },
        { path: 'blocker/x.bin', bytes: toBytes('x') },
      ]),
    ).rejects.toThrow();
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

describe('FileStore locks', () => {
  it('refuses a second holder, takes over a lock whose process is gone, and hides lock files from listings', async () => {
    const root = mkdtempSync(join(tmpdir(), 'agnews-fs-'));
    const s = new FileStore(root);
    const lock = await s.lock('run', { wait: false, owner: 'training A' });
    await expect(new FileStore(root).lock('run', { wait: false, owner: 'training B' })).rejects.toThrow(/in use by training A \(pid \d+/);
    expect(await s.list('')).toEqual([]);
    await lock.release();
    // A killed runner's lock: its pid is not alive (pids are far below 2^22 on Linux).
    writeFileSync(join(root, 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, owner: 'killed' }));
    const again = await s.lock('run', { wait: false, owner: 'training C' });
    await again.release();
    // Another machine's lock on a shared folder: its pid means nothing here, so it is not taken over.
    writeFileSync(join(root, 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: 'other-machine', owner: 'sweep worker' }));
    await expect(s.lock('run', { wait: false, owner: 'training D' })).rejects.toThrow(/in use by sweep worker \(pid \d+ on other-machine/);
  });

  it('queues waiters one at a time', async () => {
    const s = new FileStore(mkdtempSync(join(tmpdir(), 'agnews-fs-')));
    const order: string[] = [];
    const hold = async (name: string) => {
      const l = await s.lock('guard/log', { wait: true, owner: name });
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${name}-`);
      await l.release();
    };
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace('+', '-'));
  });
});

describe('FileStore temporaries', () => {
  it('sweeps temporary files of writers that are gone and keeps a live writer’s', async () => {
    const root = mkdtempSync(join(tmpdir(), 'agnews-fs-'));
    const s = new FileStore(root);
    mkdirSync(join(root, 'checkpoints'));
    writeFileSync(join(root, 'checkpoints', `latest-a.safetensors.tmp-${2 ** 22 + 99}-abc`), 'stale');
    writeFileSync(join(root, `run.json.tmp-${2 ** 22 + 98}-k1`), '');
    writeFileSync(join(root, `metrics.jsonl.tmp-${process.pid}-z9`), 'in flight');
    expect(await s.sweepTemporaries('')).toBe(2);
    expect(readdirSync(root).sort()).toEqual(['checkpoints', `metrics.jsonl.tmp-${process.pid}-z9`]);
    expect(readdirSync(join(root, 'checkpoints'))).toEqual([]);
  });
});
