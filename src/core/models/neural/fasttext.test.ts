import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { toyTopics } from './toy-data';
import { parseExperimentConfig } from '../../experiment/config';
import { createEstimator, loadEstimator } from '../registry';
import type { TrainEvent } from '../../train/events';

const toy = toyTopics;

function model(overrides: Record<string, unknown> = {}) {
  const cfg = parseExperimentConfig({ model: { type: 'fasttext', dim: 8, buckets: 64, train: { epochs: 4, batchSize: 16, lr: 0.05, logEvery: 5, ...overrides } } });
  return createEstimator(cfg.model);
}

describe('fastText-style model (TF.js, CPU backend)', () => {
  it('learns a separable toy task, and a saved model predicts identically', async () => {
    const m = model();
    await m.fit(toy(160), { classes: ['sports', 'business'], seed: 3 });
    const test = toy(40, 1000);
    const probs = await m.predictProba(test.map((e) => e.text));
    const acc = probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === test[i].label).length / test.length;
    expect(acc).toBe(1);
    const saved = await m.save();
    expect(saved.meta.bigramHash).toBe('fasttext');
    const again = loadEstimator(saved);
    expect(await again.predictProba(test.map((e) => e.text))).toEqual(probs);
    // Attributions are exact for the linear head: for each class, the token scores plus the
    // bias give its logit, so two classes' sums differ by the log-odds of their probabilities.
    const bias = Array.from(saved.tensors['output.bias'].data as Float32Array);
    const sum = async (t: number) => (await m.explain!(test[0].text, t)).scores.reduce((a, b) => a + b, 0) + bias[t];
    const a = await m.explain!(test[0].text);
    expect(a.tokens.slice(0, 5)).toEqual(test[0].text.split(' '));
    a.probs.forEach((p, i) => expect(p).toBeCloseTo(probs[0][i], 5));
    expect((await sum(1)) - (await sum(0))).toBeCloseTo(Math.log(a.probs[1] / a.probs[0]), 4);
    m.dispose();
    again.dispose();
  });

  for (const optimizer of ['sparse-adam', 'adam']) {
    it(`${optimizer}: same seed, same weights; tensor count flat across epochs`, async () => {
      const counts: number[] = [];
      const run = async () => {
        const m = model({ optimizer });
        await m.fit(toy(96), { classes: ['a', 'b'], seed: 11, validation: toy(16, 500), onEvent: (e: TrainEvent) => e.type === 'epoch' && counts.push(tf.memory().numTensors) });
        const w = (await m.save()).tensors;
        m.dispose();
        return w;
      };
      const a = await run();
      const b = await run();
      expect(Array.from(a.embedding.data)).toEqual(Array.from(b.embedding.data));
      expect(new Set(counts.slice(0, 4)).size).toBe(1);
    });
  }

  it("fasttext-sgd (fastText's own CPU trainer) learns the toy task, deterministically", async () => {
    const fit = async () => {
      const m = model({ optimizer: 'fasttext-sgd', lr: 0.5, epochs: 5 });
      await m.fit(toy(160), { classes: ['sports', 'business'], seed: 4 });
      const probs = await m.predictProba(toy(40, 1000).map((e) => e.text));
      m.dispose();
      return probs;
    };
    const a = await fit();
    expect(a.filter((p, i) => (p[1] > p[0] ? 1 : 0) === i % 2).length).toBe(40);
    expect(await fit()).toEqual(a);
  });

  it('fasttext-sgd fits, saves, loads, predicts and explains with no tensor backend at all', async () => {
    // With the CPU backend unregistered, any tensor (even tf.memory()) would throw "Could not
    // initialize any backends": so passing proves the entry point may leave TF.js unstarted.
    const cpu = tf.findBackendFactory('cpu')!;
    tf.removeBackend('cpu');
    try {
      expect(Object.keys(tf.engine().registry)).toEqual([]);
      const m = model({ optimizer: 'fasttext-sgd', lr: 0.5, epochs: 3 });
      await m.fit(toy(80), { classes: ['sports', 'business'], seed: 4, validation: toy(16, 500) });
      const texts = toy(20, 1000).map((e) => e.text);
      const probs = await m.predictProba(texts);
      expect(probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === i % 2).length).toBe(20);
      const saved = await m.save();
      expect(saved.tensors.embedding.shape).toEqual([saved.tensors.embedding.data.length / 8, 8]);
      expect(saved.tensors['output.weight'].shape).toEqual([8, 2]);
      const again = loadEstimator(saved);
      expect(await again.predictProba(texts)).toEqual(probs);
      expect((await again.explain!(texts[0])).probs[0]).toBeCloseTo(probs[0][0], 5);
      expect(again.parameterCount()).toBe(m.parameterCount());
      m.dispose();
      again.dispose();
      expect(Object.keys(tf.engine().registry)).toEqual([]);
    } finally {
      tf.registerBackend('cpu', cpu, 1);
      await tf.setBackend('cpu');
    }
  });

  it('a fasttext-sgd model saved from host arrays predicts the same when loaded as a tensor model', async () => {
    // Same weight layout on both paths: only the optimizer in the params decides where they live.
    const m = model({ optimizer: 'fasttext-sgd', lr: 0.5, epochs: 2 });
    await m.fit(toy(64), { classes: ['a', 'b'], seed: 2 });
    const saved = await m.save();
    const before = tf.memory().numTensors;
    const params = saved.meta.params as { loop: Record<string, unknown> };
    const onTensors = loadEstimator({ ...saved, meta: { ...saved.meta, params: { ...params, loop: { ...params.loop, optimizer: 'adam' } } } });
    expect(tf.memory().numTensors).toBe(before + 3);
    const texts = toy(10, 900).map((e) => e.text);
    expect(await onTensors.predictProba(texts)).toEqual(await m.predictProba(texts));
    onTensors.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops with CancelledError when aborted', async () => {
    const m = model();
    const c = new AbortController();
    c.abort();
    await expect(m.fit(toy(32), { classes: ['a', 'b'], seed: 1, signal: c.signal })).rejects.toThrow(/Cancelled/);
    m.dispose();
  });
});
