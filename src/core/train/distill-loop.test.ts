import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../data';
import type { Example, TrainingData } from '../data/types';
import { parseExperimentConfig } from '../experiment/config';
import { experimentSplits, runExperiment } from '../experiment/pipeline';
import type { SoftTargets } from '../models/estimator';
import { initInput, predictSgd, trainSgd } from '../models/neural/fasttext-sgd';
import { toyTopics } from '../models/neural/toy-data';
import { createEstimator } from '../models/registry';
import { RunFolder } from '../runs/run-folder';
import { memoryStore } from '../storage/memory';

/**
 * A teacher that is confidently wrong: it gives each example's other class 0.95. With alpha = 0
 * the student learns from the teacher alone, so it can only end up predicting the other class if
 * every teacher row reached the loss together with its own example (through shuffling and
 * bucketing); rows out of step would teach nothing consistent.
 */
const inverted = (examples: Example[], k = 2): Float32Array[] => examples.map((e) => Float32Array.from({ length: k }, (_, c) => (c === (e.label + 1) % k ? 0.95 : 0.05 / (k - 1))));

const accuracy = (probs: Float32Array[], examples: Example[]) => probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === examples[i].label).length / examples.length;

function neural(model: Record<string, unknown>) {
  return createEstimator(parseExperimentConfig({ model }).model);
}

const MODELS: Record<string, Record<string, unknown>> = {
  'fasttext, lazy Adam': { type: 'fasttext', dim: 8, buckets: 64, train: { epochs: 6, batchSize: 16, lr: 0.1, logEvery: 5 } },
  'TextCNN, dense Adam': { type: 'textcnn', minCount: 1, embeddingDim: 8, filters: 4, widths: [2], train: { epochs: 6, batchSize: 16, lr: 0.02, logEvery: 5 } },
};

describe('soft targets through the TF.js training loop (CPU backend)', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: alpha 0 follows the teacher's rows, each with its own example; tensor count flat`, async () => {
      const train = toyTopics(96);
      const test = toyTopics(40, 1000);
      const counts: number[] = [];
      const fit = async (softTargets?: SoftTargets) => {
        const m = neural(model);
        await m.fit(train, { classes: ['a', 'b'], seed: 2, softTargets, onEvent: (e) => e.type === 'epoch' && counts.push(tf.memory().numTensors) });
        const acc = accuracy(await m.predictProba(test.map((e) => e.text)), test);
        m.dispose();
        return acc;
      };
      expect(await fit()).toBeGreaterThan(0.9);
      counts.length = 0;
      expect(await fit({ probs: inverted(train), alpha: 0, temperature: 2 })).toBeLessThan(0.1);
      expect(new Set(counts).size).toBe(1);
    });
  }

  it('refuses soft targets that do not match the training examples', async () => {
    const m = neural(MODELS['fasttext, lazy Adam']);
    const train = toyTopics(10);
    await expect(m.fit(train, { classes: ['a', 'b'], seed: 1, softTargets: { probs: inverted(train).slice(1), alpha: 0.5, temperature: 2 } })).rejects.toThrow(
      /9 rows of probabilities for 10 training examples/,
    );
    await expect(m.fit(train, { classes: ['a', 'b'], seed: 1, softTargets: { probs: inverted(train, 3), alpha: 0.5, temperature: 2 } })).rejects.toThrow(
      /3 probabilities for 2 classes/,
    );
    await expect(m.fit(train, { classes: ['a', 'b'], seed: 1, softTargets: { probs: inverted(train), alpha: 1.5, temperature: 2 } })).rejects.toThrow(/alpha must be in \[0, 1\]/);
    m.dispose();
  });
});

describe("soft targets in fastText's CPU trainer", () => {
  const encoded = (examples: Example[]) => ({
    ids: examples.map((e) => Int32Array.from(e.text.split(' '), (w) => 1 + (Array.from(w).reduce((h, ch) => h * 31 + ch.charCodeAt(0), 7) % 40))),
    labels: Int32Array.from(examples, (e) => e.label),
  });
  const weights = () => ({ emb: initInput(41, 4, 9), w: new Float32Array(8), b: new Float32Array(2), dim: 4, k: 2 });
  const opts = { epochs: 5, lr: 0.5, seed: 3, logEvery: 1000, order: 'shuffle' as const };

  it('alpha 1 takes the plain softmax step; alpha 0 follows the teacher row by row', async () => {
    const train = encoded(toyTopics(80));
    const test = toyTopics(40, 1000);
    const plain = weights();
    await trainSgd(plain, train, opts);
    const hard = weights();
    await trainSgd(hard, train, { ...opts, distill: { probs: inverted(toyTopics(80)), alpha: 1, temperature: 3 } });
    hard.emb.forEach((v, i) => expect(v).toBeCloseTo(plain.emb[i], 5));
    hard.w.forEach((v, i) => expect(v).toBeCloseTo(plain.w[i], 5));
    expect(accuracy(predictSgd(plain, encoded(test)), test)).toBeGreaterThan(0.9);

    const soft = weights();
    await trainSgd(soft, train, { ...opts, distill: { probs: inverted(toyTopics(80)), alpha: 0, temperature: 2 } });
    expect(accuracy(predictSgd(soft, encoded(test)), test)).toBeLessThan(0.1);
  });
});

const enc = new TextEncoder();
const WORDS = [
  ['war', 'minister', 'election', 'troops', 'talks'],
  ['match', 'goal', 'league', 'coach', 'season'],
  ['shares', 'market', 'profit', 'stocks', 'bank'],
  ['software', 'chip', 'internet', 'computer', 'space'],
];

async function fourTopics(): Promise<TrainingData> {
  const rows = Array.from({ length: 240 }, (_, i) => {
    const w = WORDS[i % 4];
    return `"${(i % 4) + 1}","${w[i % 5]} ${w[(i * 3) % 5]} ${i}","the ${w[(i + 2) % 5]} and ${w[(i * 7 + 1) % 5]} ${WORDS[(i + 1) % 4][i % 5]}"`;
  });
  const d = await importDataset({
    kind: 'agnews',
    files: [
      { name: 'train.csv', bytes: enc.encode(rows.join('\n')) },
      { name: 'classes.txt', bytes: enc.encode('W\nS\nB\nT') },
    ],
  });
  return { meta: d.meta, train: d.train, validation: d.validation };
}

describe('a distilled run killed and resumed (CPU backend)', () => {
  const CASES: Record<string, Record<string, unknown>> = {
    'fasttext, lazy Adam': { type: 'fasttext', dim: 8, buckets: 64, train: { epochs: 3, batchSize: 16, lr: 0.05, logEvery: 1, checkpointEvery: 4 } },
    'TextCNN with dropout and label smoothing': {
      type: 'textcnn',
      minCount: 1,
      embeddingDim: 8,
      filters: 4,
      widths: [2, 3],
      dropout: 0.3,
      train: { epochs: 2, batchSize: 16, logEvery: 1, checkpointEvery: 4, labelSmoothing: 0.1 },
    },
  };
  for (const [name, model] of Object.entries(CASES)) {
    it(`${name}: ends with the weights and metrics of the uninterrupted run`, async () => {
      const d = await fourTopics();
      const config = parseExperimentConfig({ name: 'distil-resume', seed: 5, model, guard: { override: { reason: 'unit test on a toy dataset' } } });
      const backend = { backend: 'cpu' as const, skipped: [] };
      // A smooth, uneven teacher: each example's own class 0.6, the next one 0.25.
      const { train } = experimentSplits(config, d);
      const softTargets = {
        probs: train.map((e) => Float32Array.from({ length: 4 }, (_, c) => (c === e.label ? 0.6 : c === (e.label + 1) % 4 ? 0.25 : 0.075))),
        alpha: 0.3,
        temperature: 2,
      };

      const whole = new RunFolder(memoryStore(), '');
      await runExperiment({ config, data: d, run: whole, runId: 'a', backend, softTargets });
      const broken = new RunFolder(memoryStore(), '');
      const stop = new AbortController();
      const first = runExperiment({
        config,
        data: d,
        run: broken,
        runId: 'b',
        backend,
        softTargets,
        signal: stop.signal,
        onEvent: (e) => e.type === 'step' && e.step === 7 && stop.abort(),
      });
      await expect(first).rejects.toThrow(/Cancelled/);
      await runExperiment({ config, data: d, run: broken, runId: 'b', backend, softTargets, resume: true });

      const wa = (await whole.loadModel()).tensors;
      const wb = (await broken.loadModel()).tensors;
      for (const k of Object.keys(wa)) expect(Array.from(wb[k].data), k).toEqual(Array.from(wa[k].data));
      const losses = (rows: { kind: string; loss?: unknown }[]) => rows.filter((r) => r.kind === 'step').map((r) => r.loss);
      expect(losses(await broken.metrics())).toEqual(losses(await whole.metrics()));

      // The soft targets changed the run: the same config without them ends elsewhere.
      const plain = new RunFolder(memoryStore(), '');
      await runExperiment({ config, data: d, run: plain, runId: 'c', backend });
      const wp = (await plain.loadModel()).tensors;
      expect(Object.keys(wa).some((k) => Array.from(wp[k].data).some((v, i) => v !== wa[k].data[i]))).toBe(true);
    });
  }
});
