import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../data';
import type { TrainingData } from '../data/types';
import { parseExperimentConfig } from '../experiment/config';
import { experimentSplits, runExperiment } from '../experiment/pipeline';
import type { FitContext } from '../models/estimator';
import { toyTopics } from '../models/neural/toy-data';
import { createEstimator } from '../models/registry';
import { RunFolder } from '../runs/run-folder';
import { memoryStore } from '../storage/memory';

const textCnn = (techniques: object, train: object = {}) => ({
  type: 'textcnn',
  minCount: 1,
  embeddingDim: 8,
  filters: 4,
  widths: [2],
  dropout: 0.3,
  train: { epochs: 4, batchSize: 16, lr: 0.02, logEvery: 1, techniques, ...train },
});

const SWITCHES: Record<string, object> = {
  fgm: { adversarial: { method: 'fgm', epsilon: 0.5 } },
  pgd: { adversarial: { method: 'pgd', epsilon: 0.5, alpha: 0.2, steps: 2 } },
  freelb: { adversarial: { method: 'freelb', epsilon: 0.5, alpha: 0.2, steps: 3 } },
  rdrop: { rdrop: { alpha: 1 } },
  mixup: { mixup: { alpha: 0.4 } },
  focal: { focal: { gamma: 2, alpha: 'balanced' } },
  classWeights: { classWeights: [1, 2] },
  'curriculum length': { curriculum: { score: 'length', pacing: 'linear' } },
  'curriculum rare-words': { curriculum: { score: 'rare-words', pacing: 'step' } },
  'curriculum self-paced': { curriculum: { score: 'self-paced' } },
};

async function fit(model: object, extra: Partial<FitContext> = {}) {
  const m = createEstimator(parseExperimentConfig({ model }).model);
  const counts: number[] = [];
  const steps: number[] = [];
  await m.fit(toyTopics(96), {
    classes: ['sports', 'business'],
    seed: 3,
    onEvent: (e) => {
      if (e.type === 'step') {
        steps.push(e.totalSteps ?? -1);
        if (e.step > 2) counts.push(e.tensors ?? -1);
      }
    },
    ...extra,
  });
  const test = toyTopics(40, 1000);
  const probs = await m.predictProba(test.map((e) => e.text));
  m.dispose();
  return { counts, totalSteps: steps[0], accuracy: probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === test[i].label).length / test.length, probs };
}

describe('each training technique in the neural loop (CPU backend)', () => {
  for (const [name, techniques] of Object.entries(SWITCHES)) {
    it(`${name}: learns the toy task, tensor count flat across steps`, async () => {
      const before = tf.memory().numTensors;
      const r = await fit(textCnn(techniques));
      expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
      expect(new Set(r.counts).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("curriculum 'loss' trains on the examples the previous run found easiest; step totals follow the pacing", async () => {
    // Class-0 examples easy, class-1 hard; the step pacing keeps the easiest half (not per class) for both epochs.
    const difficulty = Float32Array.from(toyTopics(96), (e) => e.label);
    const r = await fit(textCnn({ curriculum: { score: 'loss', pacing: 'step', start: 0.5, fullAt: 1, balanced: false } }, { epochs: 2 }), { exampleDifficulty: difficulty });
    expect(r.totalSteps).toBe(2 * Math.ceil(48 / 16));
    // It only saw sports texts, so it calls everything sports.
    expect(r.probs.every((p) => p[0] > p[1])).toBe(true);
    // The default root pacing from a third of each class: 16 + 16, 36 + 36, then all 96 from half the epochs on → 2 + 5 + 6 + 6 batches.
    const paced = await fit(textCnn({ curriculum: { score: 'loss' } }), { exampleDifficulty: difficulty });
    expect(paced.totalSteps).toBe(2 + 5 + 6 + 6);
  });

  it('fastText with the dense loop takes mixup and focal loss', async () => {
    const model = { type: 'fasttext', dim: 8, buckets: 64, train: { optimizer: 'adam', epochs: 5, batchSize: 16, lr: 0.1, logEvery: 1, techniques: { mixup: {}, focal: {} } } };
    const r = await fit(model);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(new Set(r.counts).size).toBe(1);
  });
});

describe('combinations that cannot work are refused before training', () => {
  const refuses = async (model: object, pattern: RegExp, extra: Partial<FitContext> = {}) => {
    const m = createEstimator(parseExperimentConfig({ model }).model);
    await expect(m.fit(toyTopics(20), { classes: ['a', 'b'], seed: 1, ...extra })).rejects.toThrow(pattern);
    m.dispose();
  };
  it('names the fields', async () => {
    const ft = (train: object) => ({ type: 'fasttext', dim: 4, buckets: 16, train });
    await refuses(ft({ techniques: { adversarial: {} } }), /techniques\.adversarial needs dense gradients.*"sparse-adam".*set model\.train\.optimizer to "adam"/);
    await refuses(ft({ optimizer: 'fasttext-sgd', techniques: { focal: {} } }), /techniques\.focal: optimizer "fasttext-sgd"/);
    await refuses(ft({ optimizer: 'adam', techniques: { rdrop: {} } }), /rdrop compares two dropout passes, and this model has no dropout/);
    await refuses(textCnn({ focal: { alpha: [1, 2] }, classWeights: 'balanced' }), /focal\.alpha and model\.train\.techniques\.classWeights both weight the classes/);
    await refuses(textCnn({ classWeights: [1, 2, 3] }), /classWeights: 3 weights for 2 classes/);
    await refuses(textCnn({ curriculum: { score: 'loss' } }), /score "loss" needs a finished run's per-example loss: name it in model\.train\.techniques\.curriculum\.run/);
    await refuses(textCnn({ curriculum: { score: 'length', run: 'r1' } }), /curriculum\.run is read only by score "loss"/);
    await refuses(textCnn({ curriculum: { score: 'loss' } }), /3 difficulty scores for 20 training examples/, { exampleDifficulty: new Float32Array(3) });
    await refuses(textCnn({ focal: {} }), /techniques\.focal shapes the hard-label loss, which distillation alpha 0 switches off/, {
      softTargets: { probs: toyTopics(20).map(() => Float32Array.of(0.5, 0.5)), alpha: 0, temperature: 2 },
    });
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

describe('a run with techniques killed mid-epoch and resumed (CPU backend)', () => {
  const CASES: Record<string, { techniques: object; distill?: boolean }> = {
    'FGM + R-Drop + mixup + self-paced curriculum + focal loss': {
      techniques: { adversarial: { method: 'fgm' }, rdrop: { alpha: 0.5 }, mixup: { alpha: 0.4 }, curriculum: { score: 'self-paced' }, focal: { gamma: 1 } },
    },
    'FreeLB + mixup + rare-words curriculum + balanced class weights, distilled': {
      techniques: { adversarial: { method: 'freelb', steps: 2 }, mixup: {}, curriculum: { score: 'rare-words', pacing: 'linear' }, classWeights: 'balanced' },
      distill: true,
    },
  };
  for (const [name, { techniques, distill }] of Object.entries(CASES)) {
    it(`${name}: ends with the weights and metrics of the uninterrupted run`, async () => {
      const d = await fourTopics();
      const model = { ...textCnn(techniques, { epochs: 3, checkpointEvery: 2 }), widths: [2, 3] };
      const config = parseExperimentConfig({ name: 'techniques-resume', seed: 5, model, guard: { override: { reason: 'unit test on a toy dataset' } } });
      const backend = { backend: 'cpu' as const, skipped: [] };
      const { train } = experimentSplits(config, d);
      const softTargets = distill
        ? { probs: train.map((e) => Float32Array.from({ length: 4 }, (_, c) => (c === e.label ? 0.6 : c === (e.label + 1) % 4 ? 0.25 : 0.075))), alpha: 0.3, temperature: 2 }
        : undefined;

      const whole = new RunFolder(memoryStore(), '');
      await runExperiment({ config, data: d, run: whole, runId: 'a', backend, softTargets });
      const broken = new RunFolder(memoryStore(), '');
      const stop = new AbortController();
      // 216 training texts: epoch 1 trains on the easiest third (5 batches), so step 7 is mid-epoch 2, after the checkpoint at step 6.
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
      expect((await broken.loadCheckpoint('latest')).pointer).toMatchObject({ step: 6, epoch: 2 });
      await runExperiment({ config, data: d, run: broken, runId: 'b', backend, softTargets, resume: true });

      const wa = (await whole.loadModel()).tensors;
      const wb = (await broken.loadModel()).tensors;
      for (const k of Object.keys(wa)) expect(Array.from(wb[k].data), k).toEqual(Array.from(wa[k].data));
      const losses = (rows: { kind: string; loss?: unknown }[]) => rows.filter((r) => r.kind === 'step').map((r) => r.loss);
      expect(losses(await broken.metrics())).toEqual(losses(await whole.metrics()));
    });
  }
});
