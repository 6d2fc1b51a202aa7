/**
 * The terminal's run home: each run is its own folder on disk (`--out DIR`), and its run id is
 * that folder's path as the user wrote it, so records and messages name what the user typed.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunFolder } from '../../core/runs/run-folder';
import type { RunHome } from '../../core/runs/run-home';
import { InputError } from '../../core/util/errors';
import { FileStore } from './file-store';

export function runDirs(): RunHome {
  return {
    folder: (dir) => new RunFolder(new FileStore(resolve(dir)), ''),
    // Folders are named on the command line; there is no registry of them to list.
    list: async () => [],
    remove: (dir) => new FileStore(resolve(dir)).remove(''),
  };
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** A run folder named by `flag`, refused in one line when it is not there. */
export function existingRunDir(flag: string, dir: string): string {
  if (!isDir(dir)) throw new InputError(`${flag} ${dir}: no such run folder`, { file: dir });
  return dir;
}

/** Each DIR as given, or the run folders directly inside it when it is not a run itself. */
export function expandRunDirs(flag: string, dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    existingRunDir(flag, dir);
    if (existsSync(join(dir, 'run.json')) || existsSync(join(dir, 'result.json'))) {
      out.push(dir);
      continue;
    }
    const children = readdirSync(dir)
      .sort()
      .map((name) => join(dir, name))
      .filter((p) => isDir(p) && existsSync(join(p, 'run.json')));
    if (children.length === 0) throw new InputError(`${flag} ${dir}: not a run folder (no run.json) and holds no run folders`, { file: dir });
    out.push(...children);
  }
  return out;
}
