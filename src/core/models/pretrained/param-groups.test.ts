import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW } from './adamw';
import { GroupedAdamW, depthOf } from './param-groups';

describe('layer-wise learning-rate groups', () => {
  it('place embeddings at depth 0, layer i at i + 1 and the head above the last layer', () => {
    expect(depthOf('bert.embeddings.word_embeddings.weight', 12)).toBe(0);
    expect(depthOf('deberta.encoder.rel_embeddings.weight', 12)).toBe(0);
    expect(depthOf('deberta.encoder.LayerNorm.weight', 12)).toBe(0);
    expect(depthOf('deberta.encoder.conv.conv.weight', 12)).toBe(1);
    expect(depthOf('electra.embeddings_project.weight', 12)).toBe(0);
    expect(depthOf('bert.pooler.dense.weight', 12)).toBe(13);
    expect(depthOf('distilbert.transformer.layer.5.ffn.lin2.weight', 6)).toBe(6);
    expect(depthOf('bert.encoder.layer.0.attention.self.query.lora_A.weight', 12)).toBe(1);
    expect(depthOf('classifier.weight', 12)).toBe(13);
  });

  it('scale each group by decay^(L + 1 - depth), and with decay 1 step exactly as one AdamW', () => {
    const params = () =>
      new Map([
        ['bert.embeddings.word_embeddings.weight', tf.variable(tf.tensor2d([[1, 2]]))],
        ['bert.encoder.layer.0.output.dense.weight', tf.variable(tf.tensor2d([[3, 4]]))],
        ['bert.encoder.layer.1.output.dense.weight', tf.variable(tf.tensor2d([[5, 6]]))],
        ['classifier.weight', tf.variable(tf.tensor2d([[7, 8]]))],
      ]);
    const decayed = new GroupedAdamW(params(), 2, 0.5, { lr: 1 });
    expect(decayed.scales).toEqual([0.125, 0.25, 0.5, 1]);
    decayed.dispose();

    const a = params();
    const b = params();
    const grouped = new GroupedAdamW(a, 2, 1, { lr: 0.1 });
    const single = new AdamW(b, { lr: 0.1 });
    grouped.setLr(0.1);
    for (let s = 0; s < 3; s++) {
      const grads = (p: Map<string, tf.Variable>) => new Map([...p].map(([n, v]) => [n, tf.mul(v, s + 1)]));
      tf.tidy(() => {
        grouped.step(grads(a));
        single.step(grads(b));
      });
    }
    for (const [n, v] of a) expect(Array.from(v.dataSync())).toEqual(Array.from(b.get(n)!.dataSync()));
    grouped.dispose();
    single.dispose();
  });
});
