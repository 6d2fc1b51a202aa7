import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeAccounting } from '../../core/storage/accounting-suite';
import { toBytes } from '../../core/storage/port';
import { IdbStore } from './idb-store';

let n = 0;
describeAccounting('IndexedDB (fake-indexeddb)', () => new IdbStore(`accounting-${n++}`));

describe('IdbStore sizes', () => {
  it('the sizes it remembers from its own writes are the sizes a fresh reader finds', async () => {
    const name = `accounting-${n++}`;
    const warm = new IdbStore(name);
    await warm.commit([
      { path: 'a/x.bin', bytes: new Uint8Array(300) },
      { path: 'a/y.json', bytes: toBytes('{}') },
    ]);
    await warm.append('a/m.jsonl', toBytes('1\n'));
    await warm.append('a/m.jsonl', toBytes('22\n'));
    await warm.commit([{ path: 'a/x.bin', bytes: new Uint8Array(120) }]);
    await warm.append('a/x.bin', new Uint8Array(5));
    await warm.remove('a/y.json');
    const expected = [
      { path: 'a/m.jsonl', bytes: 5 },
      { path: 'a/x.bin', bytes: 125 },
    ];
    expect(await warm.sizes('a/')).toEqual(expected);
    expect(await new IdbStore(name).sizes('a/')).toEqual(expected);
  });
});
