import { describeAccounting } from './accounting-suite';
import { memoryStore } from './memory';

describeAccounting('memory store', () => memoryStore());
