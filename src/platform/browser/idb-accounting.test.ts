import 'fake-indexeddb/auto';
import { describeAccounting } from '../../core/storage/accounting-suite';
import { IdbStore } from './idb-store';

let n = 0;
describeAccounting('IndexedDB (fake-indexeddb)', () => new IdbStore(`accounting-${n++}`));
