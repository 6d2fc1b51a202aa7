/** The asset store's `file:` scheme in Node: paths relative to the working directory. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export async function readLocalFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(resolve(path)));
}
