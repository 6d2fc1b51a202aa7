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

  it('reads the real tiny BERT checkpoint', async () => {
    const fs = await import('node:fs');
    const p = '../shared/models/tiny-bert/model.safetensors';
    if (!fs.existsSync(p)) return;
    const { tensors } = decodeSafetensors(new Uint8Array(fs.readFileSync(p)));
    const emb = Object.entries(tensors).find(([k]) => k.endsWith('word_embeddings.weight'))!;
    expect(emb[1].shape).toEqual([30522, 32]);
  });
});
