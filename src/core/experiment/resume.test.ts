import { describe, expect, it } from 'vitest';
import { importDataset } from '../data';
import type { TrainingData } from '../data/types';
import { RunFolder } from '../runs/run-folder';
import { memoryStore } from '../storage/memory';
import { parseExperimentConfig } from './config';
import { runExperiment } from './pipeline';
import type { MetricRow } from './result';

const enc = new TextEncoder();
const WORDS = [
  ['war', 'minister', 'election', 'troops', 'talks'],
  ['match', 'goal', 'league', 'coach', 'season'],
  ['shares', 'market', 'profit', 'stocks', 'bank'],
  ['software', 'chip', 'internet', 'computer', 'space'],
];

async function data(): Promise<TrainingData> {
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

const timing = new Set(['examplesPerSec', 'tokensPerSec', 'seconds', 'tensors', 'bytes']);
const stable = (rows: MetricRow[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !timing.has(k))));

const CASES: Record<string, Record<string, unknown>> = {
  'TextCNN with dropout': {
    type: 'textcnn',
    minCount: 1,
    embeddingDim: 8,
    filters: 4,
    widths: [2, 3],
    dropout: 0.3,
    train: { epochs: 2, batchSize: 16, logEvery: 1, checkpointEvery: 4 },
  },
  'Transformer with dropout': {
    type: 'transformer',
    minCount: 1,
    maxTokens: 32,
    dim: 8,
    layers: 1,
    heads: 2,
    ffDim: 16,
    dropout: 0.1,
    train: { epochs: 2, batchSize: 16, logEvery: 1, checkpointEvery: 4, maxLen: 32, warmupSteps: 2 },
  },
  'fasttext, lazy Adam': { type: 'fasttext', dim: 8, buckets: 64, train: { epochs: 3, batchSize: 16, lr: 0.05, logEvery: 1, checkpointEvery: 4 } },
  'fasttext, AdamW + clipping + accumulation + early stopping': {
    type: 'fasttext',
    dim: 8,
    buckets: 64,
    train: {
      epochs: 4,
      batchSize: 8,
      lr: 0.02,
      optimizer: 'adamw',
      weightDecay: 0.01,
      clipNorm: 1,
      accumulate: 2,
      logEvery: 1,
      checkpointEvery: 4,
      earlyStopping: { metric: 'val_loss', patience: 5 },
    },
  },
};

describe('resume after a kill (CPU backend)', () => {
  for (const [name, model] of Object.entries(CASES)) {
    it(`${name}: a run stopped mid-epoch and resumed ends with the same weights and metrics`, async () => {
      const d = await data();
      const config = parseExperimentConfig({ name: 'resume', seed: 5, model, guard: { override: { reason: 'unit test on a toy dataset' } } });
      const backend = { backend: 'cpu' as const, skipped: [] };

      const whole = new RunFolder(memoryStore(), '');
      await runExperiment({ config, data: d, run: whole, runId: 'a', backend });

      const broken = new RunFolder(memoryStore(), '');
      const stop = new AbortController();
      const first = runExperiment({ config, data: d, run: broken, runId: 'b', backend, signal: stop.signal, onEvent: (e) => e.type === 'step' && e.step === 7 && stop.abort() });
      await expect(first).rejects.toThrow(/Cancelled/);
      expect((await broken.meta())?.status).toBe('cancelled');
      const resumed = await runExperiment({ config, data: d, run: broken, runId: 'b', backend, resume: true });

      const wa = (await whole.loadModel()).tensors;
      const wb = (await broken.loadModel()).tensors;
      for (const k of Object.keys(wa)) expect(Array.from(wb[k].data), k).toEqual(Array.from(wa[k].data));
      expect(stable(await broken.metrics())).toEqual(stable(await whole.metrics()));
      expect(resumed.validation).toEqual((await whole.result())!.validation);
      expect(await broken.hasCheckpoint('latest')).toBe(false);
    });
  }
});
