// eslint-disable-next-line no-restricted-imports -- a test reads the shared checkpoint beside the repo
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

describe('safetensors', () => {
  it('round-trips tensors and metadata with an 8-byte aligned header', () => {
    const bytes = encodeSafetensors(
      { w: { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6.5]) }, ids: { dtype: 'I32', shape: [2], data: new Int32Array([7, -1]) } },
      { kind: 'test' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata.kind).toBe('test');
    expect(Array.from(tensors.w.data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(tensors.w.shape).toEqual([2, 3]);
    expect(Array.from(tensors.ids.data)).toEqual([7, -1]);
  });

  it('rejects a truncated file with a clear message', () => {
    const bytes = encodeSafetensors({ w: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), 'x.safetensors')).toThrow(/x.safetensors: tensor w byte range/);
    expect(() => decodeSafetensors(new Uint8Array(3))).toThrow(/too short/);
  });

  it('reads each tensor on its own from a Node Buffer (whose slice is a view, not a copy)', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }, b: { dtype: 'I32', shape: [3], data: new Int32Array([3, 4, 5]) } });
    // A Buffer at a non-zero offset inside a larger pool, as fs.readFileSync can return.
    const pool = Buffer.alloc(bytes.length + 16);
    pool.set(bytes, 16);
    const { tensors } = decodeSafetensors(pool.subarray(16));
    expect(Array.from(tensors.a.data)).toEqual([1, 2]);
    expect(Array.from(tensors.b.data)).toEqual([3, 4, 5]);
  });

  it('names the file when a header entry is damaged but still JSON', () => {
    const bytes = encodeSafetensors({ w: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    const text = new TextDecoder().decode(bytes);
    const broken = new TextEncoder().encode(text.replace('"data_offsets"', '"data_offsetz"'));
    expect(() => decodeSafetensors(broken, 'm.safetensors')).toThrow(/m.safetensors: tensor w has a damaged header entry/);
  });

  const TINY = '../shared/models/tiny-bert/model.safetensors';
  it.skipIf(!existsSync(TINY))(`reads the real tiny BERT checkpoint${existsSync(TINY) ? '' : ` (skipped: ${TINY} absent)`}`, async () => {
    const fs = await import('node:fs');
    const p = TINY;
    const { tensors } = decodeSafetensors(new Uint8Array(fs.readFileSync(p)));
    const emb = Object.entries(tensors).find(([k]) => k.endsWith('word_embeddings.weight'))!;
    expect(emb[1].shape).toEqual([30522, 32]);
  });
});
