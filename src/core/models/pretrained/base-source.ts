/**
 * Where a pretrained run's base checkpoint comes from: a Hub id (`hf:OWNER/NAME[@REV]`) or a
 * folder (`file:DIR`), read file by file through the asset store, which downloads, caches and
 * checks what it reads. A run's artifact keeps `ref(name)` of each file it used (with the
 * sha256 and size of the bytes read), never the bytes.
 */
import { sha256Hex } from '../../util/hash';
import type { AssetProgress, AssetStore } from '../../storage/asset-store';
import type { AssetRef, ModelFolder } from '../estimator';

/** A base checkpoint's files (FitContext.openBase gives one; baseSourceFromAssets builds the default). */
export type BaseModelSource = ModelFolder;

const HUB = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w.\-/%]+))?$/;

/** The id and revision of a base; throws a clear error for an address of another form. */
export function parseBase(base: string): { id: string; revision?: string; folder: (name: string) => string } {
  const hub = HUB.exec(base);
  if (hub) {
    const [, id, revision] = hub;
    return { id, revision, folder: (name) => `hf:${id}${revision ? `@${revision}` : ''}/${name}` };
  }
  // file: a folder the platform reads (Node); store: a folder in the lab's own store (the page's
  // `agnews pretrain` output lives at store:runs/NAME).
  if (base.startsWith('file:') || base.startsWith('store:')) {
    const dir = base.replace(/\/+$/, '');
    return { id: dir, folder: (name) => `${dir}/${name}` };
  }
  throw new Error(`model.base "${base}": expected hf:OWNER/NAME[@REV] (e.g. hf:distilbert/distilbert-base-uncased), a file: folder or a store: folder (store:runs/NAME)`);
}

/** A missing optional file (sharded index, tokenizer_config.json) as each scheme reports it. */
const ABSENT = /HTTP 404|no such file|ENOENT|not in the store/i;

export function baseSourceFromAssets(store: AssetStore, base: string, onProgress?: (p: AssetProgress) => void): BaseModelSource {
  const { id, revision, folder } = parseBase(base);
  const seen = new Map<string, AssetRef>();
  return {
    describe: { id, revision },
    async read(name) {
      const uri = folder(name);
      let bytes: Uint8Array;
      try {
        bytes = await store.resolve({ uri }, onProgress);
      } catch (e) {
        if (ABSENT.test(String((e as Error).message))) return undefined;
        throw e;
      }
      seen.set(name, { uri, sha256: await sha256Hex(bytes), bytes: bytes.length });
      return bytes;
    },
    ref(name) {
      const r = seen.get(name);
      if (!r) throw new Error(`${folder(name)} was not read, so there is no reference to record`);
      return r;
    },
  };
}

/** A source that reads the exact files an artifact recorded, each checked against its sha256 and size. */
export function sourceFromRefs(store: AssetStore, refs: readonly AssetRef[], names: readonly string[], onProgress?: (p: AssetProgress) => void): FolderReaderLike {
  const byName = new Map(names.map((n, i) => [n, refs[i]]));
  return async (name) => {
    const ref = byName.get(name);
    return ref ? store.resolve(ref, onProgress) : undefined;
  };
}

export type FolderReaderLike = (name: string) => Promise<Uint8Array | undefined>;
