import { readFileSync } from 'node:fs';
import { InputError } from '../core/util/errors';

/** A file named on the command line, or a one-line error naming the flag and the path. */
export function readArgFile(flag: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    throw new InputError(`${flag} ${path}: cannot read the file`, { file: path });
  }
}

/** With --json the record is the last line of stdout; otherwise it is printed readably. */
export function printRecord(record: unknown, json?: boolean): void {
  process.stdout.write(json ? JSON.stringify(record) + '\n' : JSON.stringify(record, null, 2) + '\n');
}

/** First Ctrl-C cancels the work cleanly (the run is marked cancelled); a second one exits. */
export function onInterrupt(cancel: () => void): () => void {
  let count = 0;
  const handler = () => {
    if (++count > 1) process.exit(130);
    process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    cancel();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
