import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../models/estimator';
import { memoryStore } from '../storage/memory';
import { readCheckpoint, SHARD_BYTES, writeCheckpoint } from './checkpoint';

const artifact = (v: number, n = 4): ModelArtifact => ({ kind: 'toy', meta: { v }, tensors: { w: { dtype: 'F32', shape: [n], data: new Float32Array(n).fill(v) } } });

describe('checkpoints', () => {
  it('round-trips an artifact and alternates file names between saves', async () => {
    const s = memoryStore();
    const p1 = await writeCheckpoint(s, 'r/', 'latest', artifact(1), { step: 10, epoch: 1 });
    const p2 = await writeCheckpoint(s, 'r/', 'latest', artifact(2), { step: 20, epoch: 2 });
    expect(p1.files).not.toEqual(p2.files);
    const { artifact: a, pointer } = await readCheckpoint(s, 'r/', 'latest');
    expect(a.meta).toEqual({ v: 2 });
    expect(Array.from(a.tensors.w.data)).toEqual([2, 2, 2, 2]);
    expect(pointer.step).toBe(20);
    // The superseded shard is removed once the new pointer is in place.
    expect(await s.list('r/checkpoints/')).toEqual(['r/checkpoints/latest-b.safetensors', 'r/checkpoints/latest.json']);
  });

  it('a refused write leaves the previous checkpoint readable', async () => {
    let refuse = false;
    const s = memoryStore({ failCommit: () => refuse });
    await writeCheckpoint(s, '', 'latest', artifact(1));
    refuse = true;
    await expect(writeCheckpoint(s, '', 'latest', artifact(2))).rejects.toThrow();
    refuse = false;
    expect((await readCheckpoint(s, '', 'latest')).artifact.meta).toEqual({ v: 1 });
  });

  it('splits weights over several shards above the shard size', async () => {
    const s = memoryStore();
    const big: ModelArtifact = {
      kind: 'toy',
      meta: {},
      tensors: {
        a: { dtype: 'F32', shape: [SHARD_BYTES / 4], data: new Float32Array(SHARD_BYTES / 4).fill(1) },
        b: { dtype: 'F32', shape: [8], data: new Float32Array(8).fill(3) },
      },
    };
    const p = await writeCheckpoint(s, '', 'model', big);
    expect(p.files).toEqual(['model-a-00001-of-00002.safetensors', 'model-a-00002-of-00002.safetensors']);
    const back = await readCheckpoint(s, '', 'model');
    expect(back.artifact.tensors.b.data[7]).toBe(3);
    expect(back.artifact.tensors.a.data.length).toBe(SHARD_BYTES / 4);
  });
});

describe('checkpoints of nested artifacts and damaged files', () => {
  it('keeps members and refs through save and load; a plain artifact writes the same bytes as before', async () => {
    const s = memoryStore();
    const nested: ModelArtifact = {
      kind: 'ensemble',
      meta: { how: 'mean' },
      tensors: { w: { dtype: 'F32', shape: [1], data: new Float32Array([9]) } },
      refs: [{ uri: 'hf:tiny/bert', sha256: 'ab' }],
      members: [
        { name: 'one', weight: 0.5, artifact: artifact(1) },
        { name: 'two', ref: { uri: 'file:other' } },
      ],
    };
    await writeCheckpoint(s, '', 'model', nested);
    const back = (await readCheckpoint(s, '', 'model')).artifact;
    expect(back.refs).toEqual(nested.refs);
    expect(back.members?.[0].name).toBe('one');
    expect(back.members?.[0].weight).toBe(0.5);
    expect(Array.from(back.members![0].artifact!.tensors.w.data)).toEqual([1, 1, 1, 1]);
    expect(back.members?.[1].ref).toEqual({ uri: 'file:other' });
    expect(Object.keys(back.tensors)).toEqual(['w']);

    await writeCheckpoint(s, 'p/', 'model', artifact(3));
    const bytes = (await s.read('p/checkpoints/model-a.safetensors'))!;
    const { decodeSafetensors } = await import('../storage/safetensors');
    expect(decodeSafetensors(bytes).metadata.artifact).toBe(JSON.stringify({ kind: 'toy', meta: { v: 3 } }));
  });

  it('refuses a shard whose bytes changed since it was saved, naming the file', async () => {
    const s = memoryStore();
    await writeCheckpoint(s, 'r/', 'model', artifact(1, 64));
    const path = 'r/checkpoints/model-a.safetensors';
    const bytes = (await s.read(path))!.slice();
    bytes[bytes.length - 3] ^= 0xff; // one float's bits: decodes fine, predicts NaN
    await s.commit([{ path, bytes }]);
    await expect(readCheckpoint(s, 'r/', 'model')).rejects.toThrow(/r\/checkpoints\/model-a.safetensors is corrupted/);
  });
});
