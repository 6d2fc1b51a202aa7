import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeBlobStore } from '../../core/storage/contract-suite';
import { toBytes } from '../../core/storage/port';
import { StorageError, toErrorData } from '../../core/util/errors';
import { IdbStore, storageErrorFrom } from './idb-store';

let n = 0;
describeBlobStore('IdbStore (fake-indexeddb)', () => new IdbStore(`test-${n++}`));

describe('IdbStore atomicity', () => {
  it('a commit that fails part-way stores nothing', async () => {
    const s = new IdbStore(`test-${n++}`);
    await s.commit([{ path: 'a', bytes: toBytes('v1') }]);
    // A value IndexedDB cannot clone aborts the whole transaction.
    const bad = { path: 'b', bytes: (() => 1) as unknown as Uint8Array };
    await expect(s.commit([{ path: 'a', bytes: toBytes('v2') }, bad])).rejects.toThrow();
    expect(new TextDecoder().decode(await s.read('a'))).toBe('v1');
    expect(await s.read('b')).toBeUndefined();
  });
});

describe('IdbStore errors', () => {
  it('turns a quota refusal into a StorageError the page can explain', () => {
    const e = storageErrorFrom(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    expect(e).toBeInstanceOf(StorageError);
    expect(toErrorData(e)).toMatchObject({ name: 'StorageError', message: expect.stringMatching(/storage is full/), details: { quota: true } });
  });
  it('passes other errors through unchanged', () => {
    const e = new TypeError('x');
    expect(storageErrorFrom(e)).toBe(e);
  });
});
