/**
 * The one table of known shapes against the catalog: every curated encoder's shape is the one
 * memory.ts sizes it by, and its parameter count is the catalog's figure (which catalog.test.ts
 * checks against the Hub's config.json files and the weights' download sizes).
 */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiment/config';
import { PRETRAINED_CATALOG, encoderParameters } from './catalog';
import type { PretrainedConfig } from './config';
import { KNOWN_SHAPES, knownShape, learnShape } from './known-shapes';
import { pretrainedSizes } from './memory';

describe('known base shapes', () => {
  it.each(PRETRAINED_CATALOG.map((e) => [e.name, e] as const))('%s: the shape memory.ts sizes it by holds its catalog parameter count', (_, e) => {
    const shape = knownShape(`hf:${e.id}@main`);
    expect(shape).toBe(e.shape);
    expect(encoderParameters(shape!)).toBe(e.parameters);
  });

  it('sizes deberta-v3-small by its own 128k-token embedding table, not as BERT-base', () => {
    const cfg = parseExperimentConfig({ model: { type: 'pretrained', base: 'hf:microsoft/deberta-v3-small', method: 'lora' } }).model as PretrainedConfig;
    const s = pretrainedSizes(cfg, 4);
    expect(s.exact).toBe(true);
    expect(s.embeddingBytes).toBe(4 * 128_100 * 768);
    expect(s.largest.name).toBe('deberta.embeddings.word_embeddings.weight');
  });

  it('finds a shape by the last segment of a Hub id or a folder, revision aside', () => {
    expect(knownShape('hf:distilbert/distilroberta-base@abc123')).toBe(KNOWN_SHAPES['distilroberta-base']);
    expect(knownShape('file:../shared/models/tiny-bert/')).toBe(KNOWN_SHAPES['tiny-bert']);
    expect(knownShape('hf:google/electra-small-discriminator')?.embedding_size).toBe(128);
    expect(knownShape('hf:someone/some-encoder')).toBeUndefined();
  });
});

describe('local bases', () => {
  it('are sized from the config.json the pipeline read before the checks, not as the BERT-base guess', () => {
    const base = 'store:runs/news-mlm';
    expect(knownShape(base)).toBeUndefined();
    const tiny = {
      model_type: 'bert',
      vocab_size: 1000,
      hidden_size: 16,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 64,
      type_vocab_size: 2,
    };
    learnShape(base, tiny);
    expect(knownShape(`${base}/`)).toBe(tiny);
    const cfg = parseExperimentConfig({ name: 'x', model: { type: 'pretrained', base, maxLength: 32 } }).model as PretrainedConfig;
    // 1000×16 + 64×16 + 2×16 + 2×16 (LayerNorm) + one layer (4×(16×16+16) + 2×16 + 16×32+32 + 32×16+16 + 2×16) + pooler 16×16+16 + head 16×4+4
    expect(pretrainedSizes(cfg, 4).total).toBe(1000 * 16 + 64 * 16 + 2 * 16 + 32 + (4 * 272 + 32 + 544 + 528 + 32) + 272 + 68);
  });
});
