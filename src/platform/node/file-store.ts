/**
 * BlobStore on a folder: one file per path. A commit writes every file to a temporary name
 * first and renames them into place only after all writes succeeded; rename is atomic on
 * POSIX file systems, so a reader never sees a half-written file.
 */
import { appendFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { BlobStore } from '../../core/storage/port';
import { StorageError } from '../../core/util/errors';

export class FileStore implements BlobStore {
  constructor(readonly root: string) {}

  private abs(path: string): string {
    if (path.split('/').includes('..')) throw new StorageError(`Refusing path outside the store: ${path}`);
    return join(this.root, ...path.split('/'));
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.abs(path)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async commit(writes: { path: string; bytes: Uint8Array }[]): Promise<void> {
    const tag = `.tmp-${process.pid}-${Date.now().toString(36)}`;
    const staged: [string, string][] = [];
    try {
      for (const w of writes) {
        const target = this.abs(w.path);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target + tag, w.bytes);
        staged.push([target + tag, target]);
      }
    } catch (e) {
      await Promise.all(staged.map(([tmp]) => rm(tmp, { force: true })));
      throw wrap(e);
    }
    for (const [tmp, target] of staged) await rename(tmp, target);
  }

  async append(path: string, bytes: Uint8Array): Promise<void> {
    const target = this.abs(path);
    try {
      await mkdir(dirname(target), { recursive: true });
      await appendFile(target, bytes);
    } catch (e) {
      throw wrap(e);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (!e.name.includes('.tmp-')) out.push(relative(this.root, p).split(sep).join('/'));
      }
    };
    await walk(this.root);
    return out.filter((p) => p.startsWith(prefix)).sort();
  }

  async remove(prefix: string): Promise<void> {
    const target = this.abs(prefix.replace(/\/$/, ''));
    await rm(target, { recursive: true, force: true });
  }

  async estimate(): Promise<{ usage: number; quota: number } | undefined> {
    try {
      const { statfs } = await import('node:fs/promises');
      const s = await statfs(this.root);
      const files = await this.list('');
      let usage = 0;
      for (const f of files) usage += (await stat(this.abs(f))).size;
      return { usage, quota: usage + s.bavail * s.bsize };
    } catch {
      return undefined;
    }
  }
}

function wrap(e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError(`Disk full: ${(e as Error).message}`, true);
  if (code === 'EACCES' || code === 'EROFS') return new StorageError(`Cannot write: ${(e as Error).message}`);
  return e as Error;
}
