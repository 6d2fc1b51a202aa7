// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../storage/safetensors';
import { readCheckpoint, type FolderReader } from './checkpoint';
import { tinyModels } from './fixtures';

const tiny = tinyModels(fs);
const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const folder =
  (files: Record<string, Uint8Array>): FolderReader =>
  async (name) =>
    files[name];

/** Raw safetensors bytes with one tensor of the given dtype (F16/BF16 written by hand). */
function halfFile(name: string, dtype: 'F16' | 'BF16', words: number[]): Uint8Array {
  let header = JSON.stringify({ [name]: { dtype, shape: [words.length], data_offsets: [0, words.length * 2] } });
  while ((8 + header.length) % 8) header += ' ';
  const out = new Uint8Array(8 + header.length + words.length * 2);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(header.length), true);
  out.set(new TextEncoder().encode(header), 8);
  words.forEach((w, i) => dv.setUint16(8 + header.length + i * 2, w, true));
  return out;
}

const bertConfig = { model_type: 'bert', architectures: ['BertModel'], hidden_size: 4, num_attention_heads: 2, num_hidden_layers: 1, intermediate_size: 8, hidden_act: 'gelu' };

describe('readCheckpoint', () => {
  it.skipIf(!tiny.present)('reads a save_pretrained folder with prefixed names', async () => {
    const c = await tiny.load('tiny-distilbert');
    expect(c.architecture.prefix).toBe('distilbert');
    expect(c.weights['distilbert.transformer.layer.1.attention.q_lin.weight'].shape).toEqual([32, 32]);
    expect(c.weights['pre_classifier.weight'].data).toBeInstanceOf(Float32Array);
  });

  it('prefixes a bare base model, renames gamma/beta, widens F16 and BF16, and follows a shard index', async () => {
    const shard1 = halfFile('embeddings.LayerNorm.gamma', 'F16', [0x3c00, 0xc000]); // 1, -2
    const shard2 = halfFile('encoder.layer.0.output.dense.weight', 'BF16', [0x3f80, 0x4040]); // 1, 3
    const shard3 = encodeSafetensors({ 'embeddings.position_ids': { dtype: 'I32', shape: [2], data: Int32Array.of(0, 1) } });
    const index = {
      weight_map: { 'embeddings.LayerNorm.gamma': 'a.safetensors', 'encoder.layer.0.output.dense.weight': 'b.safetensors', 'embeddings.position_ids': 'c.safetensors' },
    };
    const c = await readCheckpoint(
      folder({ 'config.json': enc(bertConfig), 'model.safetensors.index.json': enc(index), 'a.safetensors': shard1, 'b.safetensors': shard2, 'c.safetensors': shard3 }),
    );
    expect(Object.keys(c.weights).sort()).toEqual(['bert.embeddings.LayerNorm.weight', 'bert.encoder.layer.0.output.dense.weight']);
    expect([...c.weights['bert.embeddings.LayerNorm.weight'].data]).toEqual([1, -2]);
    expect([...c.weights['bert.encoder.layer.0.output.dense.weight'].data]).toEqual([1, 3]);
  });

  it('names what it cannot load', async () => {
    const weights = encodeSafetensors({ w: { dtype: 'F32', shape: [1], data: Float32Array.of(1) } });
    const load = (config: unknown, extra: Record<string, Uint8Array> = { 'model.safetensors': weights }) => readCheckpoint(folder({ 'config.json': enc(config), ...extra }));
    await expect(load({ ...bertConfig, model_type: 'gpt2' })).rejects.toThrow(/model_type 'gpt2' is not supported \(supported: bert, distilbert, roberta, electra, deberta-v2\)/);
    await expect(load({ ...bertConfig, architectures: ['GPT2LMHeadModel'] })).rejects.toThrow(/GPT2LMHeadModel do not match model_type 'bert'/);
    await expect(load({ ...bertConfig, position_embedding_type: 'relative_key' })).rejects.toThrow(/position_embedding_type 'relative_key'/);
    await expect(load({ ...bertConfig, hidden_act: 'quick_gelu' })).rejects.toThrow(/activation 'quick_gelu' is not supported/);
    await expect(load(bertConfig, {})).rejects.toThrow(/no model.safetensors/);
    await expect(readCheckpoint(folder({}))).rejects.toThrow(/no config.json/);
  });
});
