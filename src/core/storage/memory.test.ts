import { describe, expect, it } from 'vitest';
import { describeBlobStore } from './contract-suite';
import { memoryStore } from './memory';
import { fromBytes, toBytes } from './port';

describeBlobStore('memory', () => memoryStore());

describe('memoryStore', () => {
  it('commits all files or none', async () => {
    const s = memoryStore({ failCommit: (paths) => paths.includes('b') });
    await s.commit([{ path: 'a', bytes: toBytes('1') }]);
    await expect(
      s.commit([
        { path: 'a', bytes: toBytes('2') },
        { path: 'b', bytes: toBytes('3') },
      ]),
    ).rejects.toThrow(/commit failed/);
    expect(fromBytes((await s.read('a'))!)).toBe('1');
    expect(await s.read('b')).toBeUndefined();
    await expect(
      s.commit([
        { path: 'c', bytes: toBytes('4') },
        { path: '../x', bytes: toBytes('5') },
      ]),
    ).rejects.toThrow(/invalid store path/);
    expect(await s.read('c')).toBeUndefined();
  });

  it('copies bytes in and out', async () => {
    const s = memoryStore();
    const b = toBytes('abc');
    await s.commit([{ path: 'p', bytes: b }]);
    b[0] = 0;
    const r = (await s.read('p'))!;
    r[1] = 0;
    expect(fromBytes((await s.read('p'))!)).toBe('abc');
  });

  it('removes a single path without touching siblings that share its prefix', async () => {
    const s = memoryStore();
    await s.commit([
      { path: 'd/a', bytes: toBytes('1') },
      { path: 'd/ab', bytes: toBytes('2') },
    ]);
    await s.remove('d/a');
    expect(await s.list('d/')).toEqual(['d/ab']);
    expect((await s.estimate())!.usage).toBe(1);
  });
});
