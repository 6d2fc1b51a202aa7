import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { measureThroughput } from './throughput';

// A BERT shape small enough for the CPU backend; the benchmark passes real shapes (shapes/*/config.json).
const config = {
  model_type: 'bert',
  architectures: ['BertForSequenceClassification'],
  hidden_size: 16,
  num_attention_heads: 2,
  num_hidden_layers: 1,
  intermediate_size: 32,
  vocab_size: 50,
  max_position_embeddings: 16,
  type_vocab_size: 2,
  hidden_act: 'gelu',
  id2label: { 0: 'a', 1: 'b', 2: 'c' },
};

describe('measureThroughput', () => {
  it('times training steps and inference batches and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    for (const mode of ['train', 'infer'] as const) {
      const r = await measureThroughput(config, { batch: 4, length: 8, steps: 2, mode });
      expect(r.mode).toBe(mode);
      expect(r.examplesPerSecond).toBeGreaterThan(0);
      expect(r.examplesPerSecond).toBeCloseTo((4 * 2) / r.seconds, 6);
      // embeddings (50+16+2)*16 + LN 32 + layer (4*(16*16+16) + 2*(16*32) + 32 + 16 + 4*16) + pooler 272 + head 51
      expect(r.parameters).toBe(68 * 16 + 32 + (4 * 272 + 32 * 16 + 32 + 16 * 32 + 16 + 4 * 16) + 272 + 51);
    }
    const lora = await measureThroughput(config, { batch: 4, length: 8, steps: 1, mode: 'train', method: 'lora' });
    expect(lora.method).toBe('lora');
    expect(lora.examplesPerSecond).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('records the peak tensor memory of training steps when asked', async () => {
    const plain = await measureThroughput(config, { batch: 4, length: 8, steps: 1, mode: 'train' });
    expect(plain.peakBytes).toBeUndefined();
    const r = await measureThroughput(config, { batch: 4, length: 8, steps: 1, mode: 'train', trackPeak: true });
    // Weights, both AdamW moments and the gradients are alive together in a full fine-tuning step.
    expect(r.peakBytes).toBeGreaterThan(4 * 4 * r.parameters);
    expect(r.peakBytes).toBeLessThan(4 * 4 * r.parameters + 4 * 1024 * 1024);
  });
});
