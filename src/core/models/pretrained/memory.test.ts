/* eslint-disable no-restricted-imports -- the test reads the shared config.json shapes */
/**
 * Sizes from a config alone: the known shapes are those of the shared config.json files, the
 * counts are transformers' own (BertForSequenceClassification etc. with 4 labels), and the
 * guard refuses what a device cannot hold and applies its LoRA rank rule to model.lora.r.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiment/config';
import { validateConfig } from '../../guard/validate-config';
import type { PretrainedConfig } from './config';
import { Bottleneck } from './adapters';
import { activationBytes, memoryProblems, pretrainedSizes } from './memory';
import { KNOWN_SHAPES } from './known-shapes';
import { EncoderModel } from './model';
import { readCheckpoint } from './checkpoint';

const MODELS = resolve(import.meta.dirname, '../../../..', '..', 'shared', 'models');
const present = existsSync(`${MODELS}/shapes/bert-base/config.json`);
const json = (p: string) => JSON.parse(readFileSync(`${MODELS}/${p}`, 'utf8')) as Record<string, unknown>;
const cfg = (model: Record<string, unknown>) => parseExperimentConfig({ model: { type: 'pretrained', ...model } }).model as PretrainedConfig;
const agnews = { train: 29_055, validation: 3_228, classes: 4 };

describe.skipIf(!present)('known base shapes', () => {
  it.each([
    ['bert-base-uncased', 'shapes/bert-base'],
    ['distilbert-base-uncased', 'shapes/distilbert-base'],
    ['all-MiniLM-L6-v2', 'shapes/minilm-l6-h384'],
    ['tiny-bert', 'tiny-bert'],
  ])('%s matches %s/config.json', (name, folder) => {
    const file = json(`${folder}/config.json`);
    for (const [k, v] of Object.entries(KNOWN_SHAPES[name])) expect(file[k], k).toEqual(v);
  });

  it('counts what a bottleneck adapter run trains on tiny-bert exactly as the adapter builds it', async () => {
    const read = async (n: string) => (existsSync(`${MODELS}/tiny-bert/${n}`) ? new Uint8Array(readFileSync(`${MODELS}/tiny-bert/${n}`)) : undefined);
    const model = EncoderModel.fromCheckpoint(await readCheckpoint(read), { numLabels: 4 });
    const options = { placement: 'houlsby', reduction: 8, nonLinearity: 'relu', trainLayerNorms: true } as const;
    const adapter = new Bottleneck(model, options, 1);
    const built = [...adapter.trainable().values()].reduce((n, v) => n + v.size, 0);
    adapter.dispose();
    model.dispose();
    expect(pretrainedSizes(cfg({ base: 'file:../shared/models/tiny-bert', method: 'adapter', adapter: options }), 4).trainable).toBe(built);
  });

  it('counts what the encoders build: tiny-bert exactly as its checkpoint loads', async () => {
    const read = async (n: string) => (existsSync(`${MODELS}/tiny-bert/${n}`) ? new Uint8Array(readFileSync(`${MODELS}/tiny-bert/${n}`)) : undefined);
    const model = EncoderModel.fromCheckpoint(await readCheckpoint(read), { numLabels: 4 });
    const count = [...model.weights.values()].reduce((n, v) => n + v.size, 0);
    model.dispose();
    expect(pretrainedSizes(cfg({ base: 'file:../shared/models/tiny-bert' }), 4)).toMatchObject({ total: count, trainable: count, exact: true });
  });
});

describe('pretrained sizes', () => {
  it("match transformers' parameter counts with 4 labels", () => {
    expect(pretrainedSizes(cfg({ base: 'hf:google-bert/bert-base-uncased' }), 4).total).toBe(109_485_316);
    expect(pretrainedSizes(cfg({ base: 'hf:distilbert/distilbert-base-uncased' }), 4).total).toBe(66_956_548);
    expect(pretrainedSizes(cfg({ base: 'hf:sentence-transformers/all-MiniLM-L6-v2' }), 4).total).toBe(22_714_756);
  });

  it('count the second dropout pass of R-Drop and what adversarial training holds', () => {
    const base = { base: 'hf:google-bert/bert-base-uncased', method: 'lora', maxLength: 64 };
    const plain = pretrainedSizes(cfg({ ...base, train: { batchSize: 8 } }), 4);
    const rdrop = pretrainedSizes(cfg({ ...base, train: { batchSize: 8, techniques: { rdrop: {} } } }), 4);
    const fgm = pretrainedSizes(cfg({ ...base, train: { batchSize: 8, techniques: { adversarial: {} } } }), 4);
    expect(rdrop.activationBytes).toBe(2 * plain.activationBytes);
    expect(rdrop.peakBytes - plain.peakBytes).toBe(plain.activationBytes);
    // The clean gradients of the trainable set, and an [8, 64, 768] perturbation.
    expect(fgm.peakBytes - plain.peakBytes).toBe(4 * plain.trainable + 4 * 8 * 64 * 768);
  });

  it('count what each method trains', () => {
    const bert = (m: Record<string, unknown>) => pretrainedSizes(cfg({ base: 'hf:google-bert/bert-base-uncased', ...m }), 4).trainable;
    // LoRA r 8 on query and value of 12 layers, plus the classifier.
    expect(bert({ method: 'lora', lora: { r: 8 } })).toBe(12 * 2 * 8 * (768 + 768) + 768 * 4 + 4);
    // IA3: key and value vectors (768) and both output.dense inputs (768 and 3072) per layer, plus the classifier.
    expect(bert({ method: 'ia3' })).toBe(12 * (768 + 768 + 768 + 3072) + 768 * 4 + 4);
    expect(bert({ method: 'full', freeze: { embeddings: true, layers: 12 } })).toBe(768 * 768 + 768 + 768 * 4 + 4);
    // Bottleneck adapters, 768 -> 48 -> 768 with biases: Houlsby two per layer, Pfeiffer one; Houlsby's LayerNorms 2 x 2 x 768 per layer.
    const adapter = 2 * 768 * 48 + 48 + 768;
    expect(bert({ method: 'adapter', adapter: { placement: 'houlsby' } })).toBe(24 * adapter + 768 * 4 + 4);
    expect(bert({ method: 'adapter', adapter: { placement: 'pfeiffer', reduction: 16 } })).toBe(12 * adapter + 768 * 4 + 4);
    expect(bert({ method: 'adapter', adapter: { placement: 'houlsby', trainLayerNorms: true } })).toBe(24 * adapter + 12 * 4 * 768 + 768 * 4 + 4);
    expect(bert({ method: 'adapter', adapter: { placement: 'pfeiffer', size: 64 }, freeze: { layers: 6 } })).toBe(6 * (2 * 768 * 64 + 64 + 768) + 768 * 4 + 4);
    // DistilBERT's outputs are out_lin and ffn.lin2 (its pre_classifier is part of the head PEFT saves).
    const distil = pretrainedSizes(cfg({ base: 'hf:distilbert/distilbert-base-uncased', method: 'adapter', adapter: { placement: 'houlsby' } }), 4);
    expect(distil.trainable).toBe(12 * adapter + 768 * 768 + 768 + 768 * 4 + 4);
    // The peak counts the adapters' gradients and AdamW moments: 3 x 4 bytes per trainable parameter above the weights.
    expect(distil.peakBytes - distil.weightBytes - distil.packedBytes - distil.activationBytes).toBe(12 * distil.trainable);
    // One packed copy of each linear weight of the 6 layers (4 x 768 x 768 + 2 x 768 x 3072), pre_classifier and classifier.
    expect(distil.packedBytes).toBe(4 * (6 * (4 * 768 * 768 + 2 * 768 * 3072) + 768 * 768 + 4 * 768));
    // Full fine-tuning at a small batch: the optimizer's new weight, m and v of the 30522 x 768 table outweigh the activations.
    const small = pretrainedSizes(cfg({ base: 'hf:distilbert/distilbert-base-uncased', maxLength: 32, train: { batchSize: 2 } }), 4);
    expect(small.optimizerBytes).toBe(3 * 4 * 30522 * 768);
    expect(small.peakBytes).toBe(small.weightBytes + small.packedBytes + 12 * small.trainable + small.optimizerBytes);
    const unknown = pretrainedSizes(cfg({ base: 'hf:someone/some-encoder' }), 4);
    expect([unknown.exact, unknown.total]).toEqual([false, 109_485_316]);
  });

  it('refuses a weight above the storage-buffer limit and a peak above the budget, saying what fits', () => {
    const deberta = cfg({ base: 'hf:microsoft/deberta-v3-base', method: 'lora' });
    const [binding] = memoryProblems(deberta, 4, {});
    expect(binding.message).toMatch(/word_embeddings.*375 MiB.*128 MiB/);
    const adapter = cfg({ base: 'hf:distilbert/distilbert-base-uncased', method: 'adapter', train: { batchSize: 64 } });
    const [tight] = memoryProblems(adapter, 4, { maxStorageBufferBindingSize: 1 << 30, memoryBudget: 1024 ** 3 });
    expect(tight.message).toMatch(/\(adapter\) needs about .* trainable parameters/);
    expect(memoryProblems(deberta, 4, { maxStorageBufferBindingSize: 1 << 30 })).toEqual([]);
    // WASM's heap has a budget and no storage buffers: the table is not refused for its binding.
    expect(memoryProblems(deberta, 4, { memoryBudget: 64 * 1024 ** 3 })).toEqual([]);

    const distil = cfg({ base: 'hf:distilbert/distilbert-base-uncased' });
    const [peak] = memoryProblems(distil, 4, { maxStorageBufferBindingSize: 1 << 30, memoryBudget: 7 * 1024 ** 3 });
    expect(peak.message).toMatch(/activations for batch 32 x length 128/);
    expect(peak.saferAlternatives).toEqual(expect.arrayContaining([expect.stringMatching(/^model\.train\.batchSize: \d+ with model\.train\.accumulate/), 'model.maxLength: 64']));
  });
});

describe('activation memory of a training step', () => {
  // Hand counts per layer and token, as memory.ts's comment derives them from the ops:
  // forward 36 H + 7 F + 7 maps and backward 31 H + 7 F + 4 maps with dropout; the embeddings
  // 24 H per token once; 4 bytes a value.
  const tiny = KNOWN_SHAPES['tiny-bert']; // H 32, F 64, 4 heads, 2 layers
  const embeddings = 24 * 32 * 2 * 8;

  it('counts the BERT layers by kind: hidden vectors, feed-forward vectors and score maps', () => {
    // Batch 2 x length 8 = 16 tokens: 67 x 32 + 14 x 64 + 4 heads x 8 keys x 11 maps per token and layer.
    expect(activationBytes(tiny, 2, 8, { dropout: true })).toBe(4 * (2 * 16 * (67 * 32 + 14 * 64 + 4 * 8 * 11) + embeddings));
    // Without dropout: two hidden dropouts keep 5 H fewer each, the attention dropout 5 maps fewer.
    expect(activationBytes(tiny, 2, 8, { dropout: false })).toBe(4 * (2 * 16 * (57 * 32 + 14 * 64 + 4 * 8 * 6) + embeddings));
    // Two LoRA modules a layer with their own dropout: 11 H more each (7 forward, 4 backward); 6 H without it.
    expect(activationBytes(tiny, 2, 8, { dropout: true, loraModules: 2, loraDropout: true })).toBe(4 * (2 * 16 * (89 * 32 + 14 * 64 + 4 * 8 * 11) + embeddings));
    expect(activationBytes(tiny, 2, 8, { dropout: true, loraModules: 2, loraDropout: false })).toBe(4 * (2 * 16 * (79 * 32 + 14 * 64 + 4 * 8 * 11) + embeddings));
  });

  it("adds DeBERTa's relative-position maps and per-layer position projections", () => {
    const deberta = { ...KNOWN_SHAPES['deberta-v3-small'], hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1, num_attention_heads: 2, position_buckets: 4 };
    // 20 maps of L x L and 8 of L x 2 span (span 4) per head, 12 [2 span, H] projections per layer.
    const perToken = 67 * 32 + 14 * 64 + 2 * (8 * 20 + 8 * 8);
    expect(activationBytes(deberta, 1, 8, { dropout: true })).toBe(4 * (8 * perToken + 12 * 8 * 32 + 24 * 32 * 8));
  });

  it('reads dropout and the LoRA targets from the config', () => {
    const bert = KNOWN_SHAPES['bert-base-uncased'];
    const at = (model: Record<string, unknown>) =>
      pretrainedSizes(cfg({ base: 'hf:google-bert/bert-base-uncased', maxLength: 32, train: { batchSize: 2 }, ...model }), 4).activationBytes;
    expect(at({ method: 'lora' })).toBe(activationBytes(bert, 2, 32, { dropout: true, loraModules: 2, loraDropout: true }));
    expect(at({ method: 'lora', lora: { dropout: 0, targetModules: ['query', 'key', 'value'] } })).toBe(
      activationBytes(bert, 2, 32, { dropout: true, loraModules: 3, loraDropout: false }),
    );
    expect(at({ method: 'full', dropout: 0 })).toBe(activationBytes(bert, 2, 32, { dropout: false }));
  });
});

describe('the guard on pretrained configs', () => {
  const experiment = (model: Record<string, unknown>) => parseExperimentConfig({ model: { type: 'pretrained', ...model } });

  it('refuses on a device that cannot hold the config, and only when the device is known', () => {
    const deberta = experiment({ base: 'hf:microsoft/deberta-v3-base', method: 'lora', train: { lr: 2e-4 } });
    expect(
      validateConfig(deberta, agnews, { device: {} })
        .filter((f) => f.severity === 'block')
        .map((f) => f.rule),
    ).toEqual(['device-memory']);
    expect(validateConfig(deberta, agnews).some((f) => f.rule === 'device-memory')).toBe(false);
  });

  it('applies the LoRA rank rule to model.lora.r and the learning-rate range of the method', () => {
    const rank = validateConfig(experiment({ method: 'lora', lora: { r: 64 }, train: { lr: 2e-4 } }), { ...agnews, train: 5_000 });
    expect(rank.find((f) => f.rule === 'lora-rank')).toMatchObject({ severity: 'block', saferAlternatives: ['model.lora.r: 8'] });
    expect(validateConfig(experiment({ method: 'full', train: { lr: 1e-3 } }), agnews).find((f) => f.rule === 'learning-rate')).toMatchObject({ severity: 'block' });
    expect(validateConfig(experiment({ method: 'ia3', train: { lr: 3e-3 } }), agnews).find((f) => f.rule === 'learning-rate')).toBeUndefined();
    // Bottleneck adapters train at AdapterHub's 1e-4 range; 0.1 diverges.
    expect(validateConfig(experiment({ method: 'adapter', train: { lr: 1e-4 } }), agnews).find((f) => f.rule === 'learning-rate')).toBeUndefined();
    expect(validateConfig(experiment({ method: 'adapter', train: { lr: 0.1 } }), agnews).find((f) => f.rule === 'learning-rate')).toMatchObject({
      severity: 'block',
      saferAlternatives: ['model.train.lr: 0.0001'],
    });
  });

  it("credits the checkpoint's own dropout unless the config turns it off", () => {
    const reg = (model: Record<string, unknown>) => validateConfig(experiment({ train: { lr: 2.5e-5 }, ...model }), agnews).find((f) => f.rule === 'regularisation')!;
    expect(reg({}).message).toMatch(/without early stopping\./);
    expect(reg({ dropout: 0 }).message).toMatch(/without dropout, early stopping/);
  });
});
