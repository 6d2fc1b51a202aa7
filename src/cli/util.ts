import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../core/util/errors';

/** A file named on the command line, or a one-line error naming the flag, the path and why. */
export function readArgFile(flag: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EISDIR' || (code === undefined && statSync(path, { throwIfNoEntry: false })?.isDirectory())
        ? 'it is a folder, not a file'
        : code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : 'cannot read the file';
    throw new InputError(`${flag} ${path}: ${why}`, { file: path });
  }
}

/** Strict UTF-8 text of a file named on the command line: replacement characters would silently change the input. */
export function readArgText(flag: string, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readArgFile(flag, path));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${flag} ${path}: not valid UTF-8 text (save it as UTF-8)`, { file: path });
  }
}

/**
 * Keys repeated inside one JSON object, with their paths: JSON.parse silently keeps the last,
 * so a config with two "model" entries would train something other than what the reader sees.
 */
export function duplicateJsonKeys(text: string): string[] {
  const found: string[] = [];
  const stack: { keys: Set<string>; path: string; isObject: boolean; pendingKey?: string }[] = [];
  let i = 0;
  // Moves past one string literal (escapes included); keys are decoded by JSON.parse.
  const readString = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  while (i < text.length) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '"') {
      const start = i;
      readString();
      let j = i;
      while (/\s/.test(text[j] ?? '')) j++;
      if (top?.isObject && text[j] === ':') {
        const key = JSON.parse(text.slice(start, i)) as string;
        if (top.keys.has(key)) found.push(top.path ? `${top.path}.${key}` : key);
        top.keys.add(key);
        top.pendingKey = key;
      }
      continue;
    }
    if (c === '{' || c === '[') {
      const key = top?.isObject ? top.pendingKey : undefined;
      const path = top ? (key !== undefined ? (top.path ? `${top.path}.${key}` : key) : top.path) : '';
      stack.push({ keys: new Set(), path, isObject: c === '{' });
    } else if (c === '}' || c === ']') stack.pop();
    i++;
  }
  return found;
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
