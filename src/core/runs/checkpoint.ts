/**
 * Checkpoints on the storage port. A checkpoint is one or more safetensors shards plus a
 * pointer file naming them; shards and pointer go down in one atomic commit, and older shards
 * are removed only after the new pointer is in place, so a crash or a refused write at any
 * moment leaves the previous checkpoint readable.
 */
import type { ModelArtifact, NamedTensor } from '../models/estimator';
import { decodeSafetensors, encodeSafetensors } from '../storage/safetensors';
import { jsonFile, readJson, type BlobStore } from '../storage/port';
import { NotFoundError } from '../util/errors';

/** Chromium stores big IndexedDB values as blobs and has failed on very large single values. */
export const SHARD_BYTES = 64 * 1024 * 1024;

export interface CheckpointPointer {
  name: string;
  files: string[];
  step: number;
  epoch: number;
  savedAt: string;
}

const dir = (prefix: string) => `${prefix}checkpoints/`;

export async function writeCheckpoint(
  store: BlobStore,
  prefix: string,
  slot: string,
  artifact: ModelArtifact,
  position: { step: number; epoch: number } = { step: 0, epoch: 0 },
): Promise<CheckpointPointer> {
  const previous = await readJson<CheckpointPointer>(store, `${dir(prefix)}${slot}.json`);
  // Alternate file names between saves so the new shards never overwrite the ones in use.
  const generation = previous?.name.endsWith('-a') ? 'b' : 'a';
  const name = `${slot}-${generation}`;
  const shards = shard(artifact.tensors);
  const meta = { artifact: JSON.stringify({ kind: artifact.kind, meta: artifact.meta }) };
  const files = shards.map((_, i) => (shards.length === 1 ? `${name}.safetensors` : `${name}-${String(i + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`));
  const pointer: CheckpointPointer = { name, files, step: position.step, epoch: position.epoch, savedAt: new Date().toISOString() };
  await store.commit([
    ...shards.map((t, i) => ({ path: dir(prefix) + files[i], bytes: encodeSafetensors(t, i === 0 ? meta : {}) })),
    jsonFile(`${dir(prefix)}${slot}.json`, pointer),
  ]);
  if (previous) for (const f of previous.files) if (!files.includes(f)) await store.remove(dir(prefix) + f);
  return pointer;
}

export async function readCheckpoint(store: BlobStore, prefix: string, slot: string): Promise<{ artifact: ModelArtifact; pointer: CheckpointPointer }> {
  const pointer = await readJson<CheckpointPointer>(store, `${dir(prefix)}${slot}.json`);
  if (!pointer) throw new NotFoundError(`No checkpoint "${slot}" in ${prefix || 'this run'}`);
  const tensors: Record<string, NamedTensor> = {};
  let head: { kind: string; meta: Record<string, unknown> } | undefined;
  for (const f of pointer.files) {
    const bytes = await store.read(dir(prefix) + f);
    if (!bytes) throw new NotFoundError(`Checkpoint "${slot}" names ${f}, which is missing`);
    const { tensors: ts, metadata } = decodeSafetensors(bytes, f);
    if (metadata.artifact) head = JSON.parse(metadata.artifact);
    for (const [k, t] of Object.entries(ts)) tensors[k] = { dtype: t.dtype === 'I32' ? 'I32' : 'F32', shape: t.shape, data: t.data };
  }
  if (!head) throw new NotFoundError(`Checkpoint "${slot}" has no model metadata`);
  return { artifact: { kind: head.kind, meta: head.meta, tensors }, pointer };
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
