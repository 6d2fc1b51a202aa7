/**
 * Checkpoints on the storage port. A checkpoint is one or more safetensors shards plus a
 * pointer file naming them; shards and pointer go down in one atomic commit, and older shards
 * are removed only after the new pointer is in place, so a crash or a refused write at any
 * moment leaves the previous checkpoint readable. Nested artifacts (an ensemble's members, a
 * pretrained model's base reference) travel flattened in the safetensors metadata; each shard's
 * SHA-256 is recorded in the pointer and checked on load, so flipped bytes are refused by name
 * instead of turning into NaN probabilities.
 */
import { flattenArtifact, unflattenArtifact, type ArtifactHead } from '../models/artifact-nesting';
import type { ModelArtifact, NamedTensor } from '../models/estimator';
import { decodeSafetensors, encodeSafetensors } from '../storage/safetensors';
import { jsonFile, readJson, type BlobStore } from '../storage/port';
import { sha256Hex } from '../util/hash';
import { InputError, NotFoundError } from '../util/errors';

/** Chromium stores big IndexedDB values as blobs and has failed on very large single values. */
export const SHARD_BYTES = 64 * 1024 * 1024;

export interface CheckpointPointer {
  name: string;
  files: string[];
  step: number;
  epoch: number;
  savedAt: string;
  /** SHA-256 of each file, in `files` order (absent in checkpoints written before checksums). */
  sha256?: string[];
}

const dir = (prefix: string) => `${prefix}checkpoints/`;

/** A checkpoint's files, ready to go into a commit (alone, or with a run's other final files). */
export interface CheckpointWrites {
  writes: { path: string; bytes: Uint8Array }[];
  pointer: CheckpointPointer;
  /** Removes the previous generation's shards: call only after the writes are committed. */
  dropPrevious: () => Promise<void>;
}

export async function checkpointWrites(
  store: BlobStore,
  prefix: string,
  slot: string,
  artifact: ModelArtifact,
  position: { step: number; epoch: number } = { step: 0, epoch: 0 },
): Promise<CheckpointWrites> {
  const previous = await readJson<CheckpointPointer>(store, `${dir(prefix)}${slot}.json`);
  // Alternate file names between saves so the new shards never overwrite the ones in use.
  const generation = previous?.name.endsWith('-a') ? 'b' : 'a';
  const name = `${slot}-${generation}`;
  const { head, tensors } = flattenArtifact(artifact);
  const shards = shard(tensors);
  const meta = { artifact: JSON.stringify(head) };
  const files = shards.map((_, i) => (shards.length === 1 ? `${name}.safetensors` : `${name}-${String(i + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`));
  const bytes = shards.map((t, i) => encodeSafetensors(t, i === 0 ? meta : {}));
  const sha256 = await Promise.all(bytes.map((b) => sha256Hex(b)));
  const pointer: CheckpointPointer = { name, files, step: position.step, epoch: position.epoch, savedAt: new Date().toISOString(), sha256 };
  return {
    writes: [...bytes.map((b, i) => ({ path: dir(prefix) + files[i], bytes: b })), jsonFile(`${dir(prefix)}${slot}.json`, pointer)],
    pointer,
    dropPrevious: async () => {
      if (previous) for (const f of previous.files) if (!files.includes(f)) await store.remove(dir(prefix) + f);
    },
  };
}

export async function writeCheckpoint(
  store: BlobStore,
  prefix: string,
  slot: string,
  artifact: ModelArtifact,
  position: { step: number; epoch: number } = { step: 0, epoch: 0 },
): Promise<CheckpointPointer> {
  const c = await checkpointWrites(store, prefix, slot, artifact, position);
  await store.commit(c.writes);
  await c.dropPrevious();
  return c.pointer;
}

export async function readCheckpoint(store: BlobStore, prefix: string, slot: string): Promise<{ artifact: ModelArtifact; pointer: CheckpointPointer }> {
  const pointer = await readJson<CheckpointPointer>(store, `${dir(prefix)}${slot}.json`);
  if (!pointer) throw new NotFoundError(`No checkpoint "${slot}" in ${prefix || 'this run'}`);
  const tensors: Record<string, NamedTensor> = {};
  let head: ArtifactHead | undefined;
  for (const [i, f] of pointer.files.entries()) {
    const where = `${prefix}checkpoints/${f}`;
    const bytes = await store.read(dir(prefix) + f);
    if (!bytes) throw new NotFoundError(`Checkpoint "${slot}" names ${where}, which is missing`);
    const expected = pointer.sha256?.[i];
    if (expected && (await sha256Hex(bytes)) !== expected)
      throw new InputError(`${where} is corrupted: its SHA-256 does not match the one recorded when it was saved. Train the run again or restore the file.`, { file: where });
    const { tensors: ts, metadata } = decodeSafetensors(bytes, where);
    if (metadata.artifact) head = parseHead(metadata.artifact, where);
    for (const [k, t] of Object.entries(ts)) tensors[k] = { dtype: t.dtype === 'I32' ? 'I32' : 'F32', shape: t.shape, data: t.data };
  }
  if (!head) throw new NotFoundError(`Checkpoint "${slot}" has no model metadata`);
  return { artifact: unflattenArtifact(head, tensors), pointer };
}

function parseHead(text: string, file: string): ArtifactHead {
  let head: unknown;
  try {
    head = JSON.parse(text);
  } catch {
    throw new InputError(`${file}: its model metadata is not valid JSON (the file is damaged)`, { file });
  }
  const h = head as Partial<ArtifactHead> | null;
  if (!h || typeof h.kind !== 'string' || typeof h.meta !== 'object' || h.meta === null) throw new InputError(`${file}: its model metadata has no kind or meta (the file is damaged)`, { file });
  return h as ArtifactHead;
}

export async function checkpointBytes(store: BlobStore, prefix: string, slot: string): Promise<number> {
  const pointer = await readJson<CheckpointPointer>(store, `${dir(prefix)}${slot}.json`);
  if (!pointer) return 0;
  let n = 0;
  for (const f of pointer.files) n += (await store.read(dir(prefix) + f))?.length ?? 0;
  return n;
}

function shard(tensors: Record<string, NamedTensor>): Record<string, NamedTensor>[] {
  const out: Record<string, NamedTensor>[] = [{}];
  let size = 0;
  for (const [k, t] of Object.entries(tensors)) {
    if (size > 0 && size + t.data.byteLength > SHARD_BYTES) {
      out.push({});
      size = 0;
    }
    out[out.length - 1][k] = t;
    size += t.data.byteLength;
  }
  return out;
}
