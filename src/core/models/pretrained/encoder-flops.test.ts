/* eslint-disable no-restricted-imports -- the test reads the shared config.json shapes */
/**
 * The FLOP count behind the GPU bench's fraction of peak: the weights it counts are the encoder's
 * linear layers as PyTorch's BertModel holds them (bert-base-uncased: 12 layers of Q, K, V and
 * output 768x768 plus the 768x3072 and 3072x768 FFN, 84,934,656 weights), and the totals follow
 * the usual 2 FLOPs per multiply-add, three forward passes' worth for a training step.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encoderFlops, encoderShape, matmulParamsPerToken } from './encoder-flops';

const shapes = resolve(import.meta.dirname, '../../../../../shared/models/shapes');
const config = (name: string) => JSON.parse(readFileSync(resolve(shapes, name, 'config.json'), 'utf8')) as Record<string, unknown>;

describe('encoder FLOPs from config.json', () => {
  it('reads BERT and DistilBERT key names alike', () => {
    expect(encoderShape(config('bert-base'))).toEqual({ layers: 12, hidden: 768, intermediate: 3072, labels: 4 });
    expect(encoderShape(config('distilbert-base'))).toEqual({ layers: 6, hidden: 768, intermediate: 3072, labels: 4 });
    expect(() => encoderShape({ model_type: 'x' })).toThrow(/num_hidden_layers, n_layers/);
  });

  it("counts the encoder's linear weights as PyTorch's BertModel holds them", () => {
    expect(matmulParamsPerToken(encoderShape(config('bert-base')))).toBe(84_934_656);
    // all-MiniLM-L6-v2: 6 x (4 x 384^2 + 2 x 384 x 1536)
    expect(matmulParamsPerToken(encoderShape(config('minilm-l6-h384')))).toBe(10_616_832);
  });

  it('adds attention and the head, and a training step is three forward passes', () => {
    const s = { layers: 1, hidden: 4, intermediate: 8, labels: 2 };
    // linear 2 x (64 + 64) x 6 tokens, attention 1 x 2 x 2 x (2 x 9 x 4), head 2 x 2 x (16 + 8)
    const forward = 2 * 128 * 6 + 2 * 2 * 72 + 2 * 2 * 24;
    expect(encoderFlops(s, 2, 3, 'infer')).toBe(forward);
    expect(encoderFlops(s, 2, 3, 'train')).toBe(3 * forward);
  });
});
