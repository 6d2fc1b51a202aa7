/** The behaviour every BlobStore adapter must show; each adapter's test runs this suite. */
import { describe, expect, it } from 'vitest';
import { fromBytes, toBytes, type BlobStore } from './port';

export function describeBlobStore(name: string, make: () => Promise<BlobStore> | BlobStore): void {
  describe(`BlobStore contract: ${name}`, () => {
    it('reads back what a commit wrote, and undefined for a missing path', async () => {
      const s = await make();
      await s.commit([
        { path: 'a/b.json', bytes: toBytes('{"x":1}') },
        { path: 'a/c/d.bin', bytes: new Uint8Array([1, 2, 3]) },
      ]);
      expect(fromBytes((await s.read('a/b.json'))!)).toBe('{"x":1}');
      expect(Array.from((await s.read('a/c/d.bin'))!)).toEqual([1, 2, 3]);
      expect(await s.read('a/none')).toBeUndefined();
    });

    it('appends in order and lists paths under a prefix', async () => {
      const s = await make();
      await s.append('r/metrics.jsonl', toBytes('1\n'));
      await s.append('r/metrics.jsonl', toBytes('2\n'));
      await s.append('r/metrics.jsonl', toBytes('3\n'));
      expect(fromBytes((await s.read('r/metrics.jsonl'))!)).toBe('1\n2\n3\n');
      await s.commit([
        { path: 'r/z.json', bytes: toBytes('z') },
        { path: 'q/y.json', bytes: toBytes('y') },
      ]);
      expect(await s.list('r/')).toEqual(['r/metrics.jsonl', 'r/z.json']);
    });

    it('a commit replaces appended content', async () => {
      const s = await make();
      await s.append('m.jsonl', toBytes('old\n'));
      await s.commit([{ path: 'm.jsonl', bytes: toBytes('new\n') }]);
      expect(fromBytes((await s.read('m.jsonl'))!)).toBe('new\n');
    });

    it('removes a whole prefix', async () => {
      const s = await make();
      await s.commit([
        { path: 'runs/1/a', bytes: toBytes('a') },
        { path: 'runs/1/b/c', bytes: toBytes('c') },
        { path: 'runs/2/a', bytes: toBytes('a') },
      ]);
      await s.remove('runs/1/');
      expect(await s.list('runs/')).toEqual(['runs/2/a']);
    });
  });
}
