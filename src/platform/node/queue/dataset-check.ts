/**
 * The data a job names, imported on this worker and checked against the fingerprint the sweep
 * was submitted with. A worker reads many jobs of one sweep: the import is kept while the files
 * look unchanged (same sizes and modification times), and the fingerprint decides either way.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetMeta } from '../../../core/data/types';
import type { Lab } from '../../../core/lab/lab';
import { GuardError } from '../../../core/util/errors';
import { requestFor } from '../data-source';
import type { DataRef } from './job';

function signature(path: string): string {
  if (!existsSync(path)) return 'absent';
  const s = statSync(path);
  if (!s.isDirectory()) return `${s.size}:${s.mtimeMs}`;
  return readdirSync(path)
    .sort()
    .map((f) => `${f}:${signature(join(path, f))}`)
    .join('|');
}

export class DatasetCheck {
  private readonly cache = new Map<string, { sig: string; meta: Promise<DatasetMeta> }>();

  /** The dataset's meta in `lab`'s store; a GuardError when its fingerprint is not the job's. */
  async verified(lab: Lab, ref: DataRef): Promise<DatasetMeta> {
    const sig = ref.path.startsWith('hf:') ? 'hub' : signature(ref.path);
    let hit = this.cache.get(ref.path);
    if (!hit || hit.sig !== sig) {
      hit = { sig, meta: lab.importDataset(requestFor(ref.path)) };
      this.cache.set(ref.path, hit);
      hit.meta.catch(() => this.cache.delete(ref.path));
    }
    const meta = await hit.meta;
    if (meta.fingerprint !== ref.fingerprint)
      throw new GuardError(
        `The data at ${ref.path} on this worker has fingerprint ${meta.fingerprint}, but the sweep was submitted with ${ref.fingerprint}: this machine sees different data, so it will not train on it.`,
      );
    return meta;
  }
}
