/**
 * BlobStore on a folder: one file per path. A commit writes every file to a temporary name
 * first and renames them into place only after all writes succeeded; rename is atomic on
 * POSIX file systems, so a reader never sees a half-written file.
 */
import { appendFile, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { BlobStore, StoreLock } from '../../core/storage/port';
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
        // Staged before the write: a write that fails half way (disk full) leaves a partial
        // temporary file, which the cleanup below must remove too.
        staged.push([target + tag, target]);
        await writeFile(target + tag, w.bytes);
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
        else if (!e.name.includes('.tmp-') && !e.name.endsWith(LOCK_SUFFIX)) out.push(relative(this.root, p).split(sep).join('/'));
      }
    };
    await walk(this.root);
    return out.filter((p) => p.startsWith(prefix)).sort();
  }

  async sizes(prefix: string): Promise<{ path: string; bytes: number }[]> {
    const out: { path: string; bytes: number }[] = [];
    for (const path of await this.list(prefix)) {
      // A file removed between the listing and its stat is simply no longer there.
      const s = await stat(this.abs(path)).catch(() => undefined);
      if (s) out.push({ path, bytes: s.size });
    }
    return out;
  }

  async remove(prefix: string): Promise<void> {
    const target = this.abs(prefix.replace(/\/$/, ''));
    await rm(target, { recursive: true, force: true });
  }

  async sweepTemporaries(prefix: string): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else {
          // Temporary names carry the writer's pid (`.tmp-<pid>-<time>`): a live writer's are kept.
          const m = /\.tmp-(\d+)-[0-9a-z]+$/.exec(e.name);
          if (m && !alive(Number(m[1]))) {
            await rm(p, { force: true });
            removed++;
          }
        }
      }
    };
    await walk(this.abs(prefix.replace(/\/$/, '')));
    return removed;
  }

  /**
   * A lock file created with O_EXCL ('wx') holding the owner's pid: creation is atomic across
   * processes. A lock whose pid is no longer alive (a killed runner) is stale and taken over, but
   * only when it was taken on this host: a pid says nothing about another machine sharing the
   * folder (sweep workers on a network file system), whose lock waits for its owner.
   */
  async lock(path: string, opts: { wait: boolean; owner: string }): Promise<StoreLock> {
    const file = this.abs(path) + LOCK_SUFFIX;
    await mkdir(dirname(file), { recursive: true }).catch((e) => {
      throw wrap(e);
    });
    // An unreadable lock (its writer died between creating and filling it) is stale after a while.
    let unreadable = 0;
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      try {
        const fh = await open(file, 'wx');
        await fh.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), owner: opts.owner, at: new Date().toISOString() }));
        await fh.close();
        return { release: () => rm(file, { force: true }) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw wrap(e);
      }
      const holder = await lockHolder(file);
      unreadable = holder ? 0 : unreadable + 1;
      if ((holder && (holder.host ?? hostname()) === hostname() && !alive(holder.pid)) || unreadable > 20) {
        await rm(file, { force: true });
        continue;
      }
      if (!opts.wait) {
        const who = holder
          ? `${holder.owner ?? 'another process'} (pid ${holder.pid}${holder.host && holder.host !== hostname() ? ` on ${holder.host}` : ''}, since ${holder.at ?? '?'})`
          : 'another process';
        throw new StorageError(`${path || this.root} is in use by ${who}; wait for it to finish or stop it first`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
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

const LOCK_SUFFIX = '.lock';

async function lockHolder(file: string): Promise<{ pid: number; host?: string; owner?: string; at?: string } | undefined> {
  try {
    const h = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; host?: string; owner?: string; at?: string };
    return typeof h.pid === 'number' ? { pid: h.pid, host: h.host, owner: h.owner, at: h.at } : undefined;
  } catch {
    // Just created and not yet written, or removed meanwhile: ask again on the next turn.
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function wrap(e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError(`Disk full: ${(e as Error).message}`, true);
  if (code === 'EACCES' || code === 'EROFS') return new StorageError(`Cannot write: ${(e as Error).message}`);
  return e as Error;
}
