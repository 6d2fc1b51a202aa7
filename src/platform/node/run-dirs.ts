/**
 * The terminal's run home: each run is its own folder on disk (`--out DIR`), and its run id is
 * that folder's path as the user wrote it, so records and messages name what the user typed.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/**
 * Checks, before any work, that `dir` can hold a run: an existing directory we may write in, or
 * creatable one level at a time under one. Creating level by level (not `mkdir -p`) matters:
 * Node's recursive mkdir spins forever under pseudo file systems such as /proc.
 */
export function writableRunDir(flag: string, dir: string): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  while (!existsSync(p)) {
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  const refuse = (why: string) => new InputError(`${flag} ${dir}: ${why}`, { file: dir });
  if (existsSync(p) && !statSync(p).isDirectory()) throw refuse(`${p === abs ? 'it' : p} is a file, not a folder`);
  const made: string[] = [];
  try {
    for (const m of missing) {
      mkdirSync(m);
      made.push(m);
    }
    const probe = join(abs, `.write-probe-${process.pid}`);
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe, { force: true });
  } catch (e) {
    throw refuse(`cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose a folder you can write to`);
  } finally {
    // The check leaves nothing behind: a run that then fails on its data writes no folder.
    for (const m of made.reverse()) rmSync(m, { recursive: true, force: true });
  }
}
