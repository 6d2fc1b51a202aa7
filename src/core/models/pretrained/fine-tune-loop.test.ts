/* eslint-disable no-restricted-imports -- the test reads the shared tiny-bert folder and AG News rows */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Example } from '../../data/types';
import { argmax } from '../../eval/metrics';
import { parseExperimentConfig } from '../../experiment/config';
import { createAssetStore } from '../../storage/asset-store';
import { memoryStore } from '../../storage/memory';
import { parseAgNewsCsv } from '../../text/agnews-csv';
import type { SoftTargets } from '../estimator';
import { createEstimator } from '../registry';

const ROOT = resolve(import.meta.dirname, '../../../..');
const TINY = resolve(ROOT, '..', 'shared', 'models', 'tiny-bert');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'train.csv');
const present = existsSync(`${TINY}/model.safetensors`) && existsSync(DATA);
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const train: Example[] = present ? parseAgNewsCsv(readFileSync(DATA, 'utf8'), 48).map((r, i) => ({ id: `train:${i}`, ...r })) : [];
const assets = createAssetStore({ store: memoryStore(), readFile: async (p) => new Uint8Array(readFileSync(p)) });

/** A teacher that names each text's next class with 0.9: only the soft term can teach that (deterministic on the CPU backend: the plain run agrees with it on 17% of texts, the taught one on 33%). */
const shifted = train.map((e) => Float32Array.from(classes, (_, c) => (c === (e.label + 1) % 4 ? 0.9 : 0.1 / 3)));

async function agreement(softTargets?: SoftTargets): Promise<{ agreement: number; tensors: number[] }> {
  const model = parseExperimentConfig({
    model: {
      type: 'pretrained',
      base: `file:${TINY}`,
      maxLength: 32,
      method: 'lora',
      lora: { r: 4, alpha: 8, dropout: 0 },
      train: { lr: 5e-2, batchSize: 16, epochs: 6, warmupRatio: 0 },
    },
  }).model;
  const est = createEstimator(model);
  const tensors: number[] = [];
  await est.fit(train, { classes, seed: 3, assets, softTargets, onEvent: (e) => e.type === 'epoch' && tensors.push(tf.memory().numTensors) });
  const probs = await est.predictProba(train.map((e) => e.text));
  est.dispose();
  return { agreement: probs.filter((p, i) => argmax(p) === argmax(shifted[i])).length / train.length, tensors };
}

describe.skipIf(!present)('fine-tuning with soft targets (tiny-bert, LoRA, CPU backend)', { timeout: 240_000 }, () => {
  it("alpha 0 follows the teacher's rows; the tensor count stays flat", async () => {
    const plain = await agreement();
    const taught = await agreement({ probs: shifted, alpha: 0, temperature: 1 });
    expect(taught.agreement).toBeGreaterThan(plain.agreement + 0.1);
    expect(new Set(taught.tensors).size).toBe(1);
  });
});
